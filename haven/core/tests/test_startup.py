"""A broken Haven module stops Haven at start-up; nothing carries on without it (no ImportError guards).

Each test starts a real child process (``manage.py check``: settings, every app's ``ready()``, the URLs
and so every view, service and selector) in which one Haven module raises ImportError when imported.
"""

from __future__ import annotations

import pytest

from haven.core.tests.production import run

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # the child reads the test database

# Installed before Django starts. argv[1] is "module": importing it raises ImportError; or
# "module:name": the module imports, but without ``name`` (as if a function were renamed).
BREAK_AND_CHECK = """
import runpy
import sys

MODULE, _, NAME = sys.argv.pop(1).partition(":")


class Breaker:
    def find_spec(self, name, path=None, target=None):
        if name != MODULE:
            return None
        if not NAME:
            raise ImportError(f"{name} is broken on purpose")
        spec = next(s for f in sys.meta_path if f is not self and (s := f.find_spec(name, path, target)))
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            delattr(module, NAME)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Breaker())
sys.argv = ["manage.py", "check"]
runpy.run_path("manage.py", run_name="__main__")
"""


def check_with_broken(target: str) -> tuple[int, str]:
    result = run(["-c", BREAK_AND_CHECK, target])
    return result.returncode, result.stdout + result.stderr


def test_start_up_passes_when_what_is_broken_is_not_haven_s() -> None:
    """The harness alone does not stop Haven, so the failures below are the broken module's doing."""
    returncode, output = check_with_broken("haven.no_such_module")

    assert returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize(
    "module",
    [
        "haven.deadlines.registry",  # every deadline kind
        "haven.deadlines.services",  # missing creates its deadlines through it
        "haven.triggerplans.deadlines",  # M-14, M-15
    ],
)
def test_start_up_fails_loudly_when_a_haven_module_cannot_be_imported(module: str) -> None:
    returncode, output = check_with_broken(module)

    assert returncode != 0, output
    assert f"ImportError: {module} is broken on purpose" in output


@pytest.mark.parametrize(
    ("module", "name"),
    [
        # Each of these was imported under ``except ImportError`` when called, so start-up passed
        # without it and the call did nothing: no M-14 check, no trigger plan, no deadlines listed.
        ("haven.triggerplans.services", "repeat_missing_check"),
        ("haven.triggerplans.selectors", "current_plan_for_episode"),
        ("haven.deadlines.selectors", "deadlines_for_case"),
    ],
)
def test_start_up_fails_loudly_when_a_name_other_apps_import_is_gone(module: str, name: str) -> None:
    returncode, output = check_with_broken(f"{module}:{name}")

    assert returncode != 0, output
    assert f"ImportError: cannot import name '{name}' from '{module}'" in output
