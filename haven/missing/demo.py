"""Demo data for Missing children (called by haven.demo.seed.seed_demo)."""


def seed_missing() -> int:
    """Create the demo records that are missing; return how many were created."""
    return 0
