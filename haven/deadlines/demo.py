"""Demo data for Deadlines (called by haven.demo.seed.seed_demo)."""


def seed_deadlines() -> int:
    """Create the demo records that are missing; return how many were created."""
    return 0
