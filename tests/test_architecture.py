"""The app layers are a contract `make lint` enforces: these tests show that it bites.

Each test copies the Python files of `otop` into a temporary directory, changes the copy and runs
`lint-imports` (import-linter, configured in pyproject.toml) on it.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _apps() -> list[str]:
    return sorted(path.parent.name for path in (ROOT / "otop").glob("*/apps.py"))


@pytest.fixture
def copy_of_otop(tmp_path: Path) -> Path:
    """The project's Python files and its import-linter configuration, in a directory of their own."""
    shutil.copytree(ROOT / "otop", tmp_path / "otop", ignore=shutil.ignore_patterns("*.pyc", "static", "locale"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(directory: Path) -> subprocess.CompletedProcess:
    # The copy comes first on the path, ahead of the project's own (editable) install.
    env = {**os.environ, "PYTHONPATH": str(directory)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=directory, env=env, capture_output=True, text=True, timeout=120
    )


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text() + "\n\n" + code + "\n")


def test_the_unchanged_project_keeps_the_contract(copy_of_otop):
    result = _lint(copy_of_otop)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_at_module_level_breaks_the_contract(copy_of_otop):
    _append(copy_of_otop / "otop/core/money.py", "from otop.orders import services as orders  # noqa")
    result = _lint(copy_of_otop)
    assert result.returncode != 0
    assert "otop.core is not allowed to import otop.orders" in result.stdout
    assert "otop.core.money -> otop.orders.services" in result.stdout


def test_an_upward_import_inside_a_function_breaks_it_too(copy_of_otop):
    _append(
        copy_of_otop / "otop/catalog/selectors.py",
        "def free_units_of(variant_ids):\n    from otop.inventory.selectors import free_units\n\n"
        "    return free_units(variant_ids=variant_ids)",
    )
    result = _lint(copy_of_otop)
    assert result.returncode != 0
    assert "otop.catalog is not allowed to import otop.inventory" in result.stdout


def test_two_apps_of_one_layer_may_not_import_each_other(copy_of_otop):
    _append(copy_of_otop / "otop/pos/selectors.py", "from otop.workspace.models import Booking  # noqa")
    result = _lint(copy_of_otop)
    assert result.returncode != 0
    assert "otop.pos is not allowed to import otop.workspace" in result.stdout


def test_a_new_app_must_take_a_place_in_the_layers(copy_of_otop):
    (copy_of_otop / "otop/loyalty").mkdir()
    (copy_of_otop / "otop/loyalty/__init__.py").write_text("")
    result = _lint(copy_of_otop)
    assert result.returncode != 0
    assert "otop.loyalty" in result.stdout


def test_a_planned_app_may_arrive_in_its_slot(copy_of_otop):
    """reports sits above channels: it may import the apps below it (orders), and none of them may call it."""
    (copy_of_otop / "otop/reports").mkdir(exist_ok=True)
    (copy_of_otop / "otop/reports/__init__.py").touch()
    (copy_of_otop / "otop/reports/slot_probe.py").write_text("from otop.orders.models import Order  # noqa\n")
    assert _lint(copy_of_otop).returncode == 0
    _append(copy_of_otop / "otop/orders/services.py", "from otop.reports import slot_probe  # noqa")
    result = _lint(copy_of_otop)
    assert result.returncode != 0
    assert "otop.orders is not allowed to import otop.reports" in result.stdout


def test_the_contract_lists_every_app_and_ignores_no_import():
    config = _config()
    (contract,) = config["contracts"]
    assert contract["type"] == "layers" and contract["exhaustive"] is True
    assert "ignore_imports" not in contract
    listed = {name.strip().strip("()") for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}
    assert set(_apps()) <= listed
    assert {"tax", "shipping", "channels", "reports", "privacy"} <= listed


def _cross_app_imports_inside_functions() -> list[tuple[str, int, bool]]:
    """(file, line, has a comment saying why) for every import of another app inside a function."""
    found = []
    for path in sorted((ROOT / "otop").rglob("*.py")):
        relative = path.relative_to(ROOT / "otop")
        if len(relative.parts) < 2 or "migrations" in relative.parts:
            continue
        own = relative.parts[0]
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("otop."):
                    app = node.module.split(".")[1]
                    if app != own:
                        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                        beside = "#" in lines[node.lineno - 1]
                        # The reason is the comment on the line above, or above a run of such imports.
                        index = node.lineno - 2
                        while not above.startswith("#") and index > 0 and lines[index].strip().startswith("from "):
                            index -= 1
                            above = lines[index].strip()
                        found.append((str(relative), node.lineno, beside or above.startswith("#")))
    return found


def test_an_import_of_another_app_inside_a_function_says_why():
    unexplained = [(path, line) for path, line, explained in _cross_app_imports_inside_functions() if not explained]
    assert unexplained == []
