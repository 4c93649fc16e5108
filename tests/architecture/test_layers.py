"""The layers of DESIGN.md hold, and the import contract would catch a wrong arrow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the tree's packages, not the installed ones
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, env=env, capture_output=True,
                          text=True, check=False)


def test_the_tree_keeps_its_layers() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    for package in ("monitor", "probes", "alerting"):
        shutil.copytree(ROOT / package, tree / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_a_probe_importing_a_feature_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    base = tree / "probes" / "base.py"
    base.write_text(base.read_text() + "\nfrom monitor.ledger import types  # noqa\n")
    done = lint_imports(tree)
    assert done.returncode != 0
    assert "probes is not allowed to import monitor.ledger" in done.stdout
    assert "probes.base -> monitor.ledger.types" in done.stdout


def test_the_core_importing_anything_above_it_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    clock = tree / "monitor" / "core" / "clock.py"
    clock.write_text(clock.read_text() + "\nimport alerting.model  # noqa\n")
    done = lint_imports(tree)
    assert done.returncode != 0
    assert "monitor.core is not allowed to import alerting" in done.stdout
    assert "monitor.core.clock -> alerting.model" in done.stdout
