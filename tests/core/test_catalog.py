"""One catalog: every word in both languages, and no UI words held outside it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from monitor.core.catalog import AREAS, EN, ZH, missing_translations, pick

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Where people-facing words would hide: page templates, notification code, and the inventory
# audit (its findings, rules, actions and workbook are read in either language).
SURFACES = [*ROOT.glob("monitor/templates/**/*.html"), *ROOT.glob("alerting/templates/*"),
            *ROOT.glob("alerting/notifiers/*.py"), ROOT / "alerting" / "render.py",
            *ROOT.glob("monitor/inventory/*.py")]


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


def test_no_template_or_notifier_holds_chinese_of_its_own() -> None:
    assert ROOT / "monitor" / "inventory" / "classify.py" in SURFACES  # the globs still match
    found = []
    for path in SURFACES:
        if path.suffix == ".py":
            lines = _python_words(path)
        else:
            lines = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
        found += [f"{path.relative_to(ROOT)}:{number}: {text.strip()}"
                  for number, text in lines if CJK.search(text)]
    assert found == [], "\n".join(found)
