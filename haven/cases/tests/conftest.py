"""The cases tests use the root conftest's fixtures: ``make_person``, ``make_case`` and ``events``."""
