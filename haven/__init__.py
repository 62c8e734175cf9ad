"""Haven: child-protection case management and oversight for police forces."""

__version__ = "0.1.0"
