"""The notifications tests use the deadlines tests' users up the ranks (and the root conftest's
``make_person`` and ``make_case``)."""

from haven.deadlines.tests.conftest import ranks  # noqa: F401 - pytest fixture
