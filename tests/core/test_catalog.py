"""One catalog: every word in both languages, and no UI words held outside it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from monitor.core.catalog import AREAS, EN, ZH, missing_translations, pick

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Where people-facing words would hide: every template and every module of the project.
SURFACES = [*ROOT.glob("monitor/**/*.html"), *ROOT.glob("alerting/templates/*"),
            *ROOT.glob("monitor/**/*.py"), *ROOT.glob("alerting/**/*.py"),
            *ROOT.glob("probes/**/*.py")]
# Chinese that is not UI text: the catalog itself, data of the simulated apps (the demo and the
# benchmark farm), and words people *write* that the code must recognise (the spreadsheet
# inventory's column headers, the sections of an incident note).
NOT_UI = ("monitor/core/catalog/", "monitor/demo/", "monitor/benchfarm.py",
          "monitor/commands/bench.py", "monitor/config/appsfile.py",
          "monitor/reports/incident/notes.py")


def test_every_word_has_both_languages() -> None:
    assert missing_translations() == []
    assert sum(len(words) for words in AREAS.values()) > 800


def test_one_lookup_reads_every_area() -> None:
    assert pick(AREAS["reasons"], ZH, "status", got=503, wanted="200") == "状态码 503（期望 200）"
    assert pick(AREAS["inventory"], EN, "inv.heading") == "App inventory audit"


def _python_words(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that people could read: not docstrings, not config docs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                body[0].value, ast.Constant):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.keyword) and node.arg == "doc":
            skip.add(id(node.value))  # a config field's documentation
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip]


def test_no_template_or_module_holds_chinese_of_its_own() -> None:
    assert ROOT / "monitor" / "governance" / "inventory" / "classify.py" in SURFACES
    found = []
    for path in SURFACES:
        if path.relative_to(ROOT).as_posix().startswith(NOT_UI):
            continue
        if path.suffix == ".py":
            lines = _python_words(path)
        else:
            lines = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
        found += [f"{path.relative_to(ROOT)}:{number}: {text.strip()}"
                  for number, text in lines if CJK.search(text)]
    assert found == [], "\n".join(found)
