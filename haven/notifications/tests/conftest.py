"""The notifications tests use the deadlines tests' fixtures: cases, a test kind, users up the ranks."""

from haven.deadlines.tests.conftest import make_case, make_person, ranks  # noqa: F401 - pytest fixtures
