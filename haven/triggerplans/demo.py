"""Demo data for Trigger plans (called by haven.demo.seed.seed_demo)."""


def seed_triggerplans() -> int:
    """Create the demo records that are missing; return how many were created."""
    return 0
