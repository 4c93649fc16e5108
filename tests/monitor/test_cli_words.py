"""The command line's words come from the catalog, argparse's own included, in MONITOR_LANG."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import re
from pathlib import Path

import pytest

from monitor.cli import build_parser, main
from monitor.commands.argwords import argparse_in
from monitor.commands.words import WORDS, cli_language
from monitor.core.catalog import EN, ZH

ROOT = Path(__file__).resolve().parents[2]
COMMAND_FILES = [ROOT / "monitor" / "cli.py", *sorted((ROOT / "monitor" / "commands").glob("*.py"))]
TEXT_KEYWORDS = {"help", "description", "epilog"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("value", "lang"), [
    (None, ZH), ("", ZH), ("zh-CN", ZH), ("zh_CN.UTF-8", ZH), ("fr", ZH),
    ("en", EN), ("EN", EN), ("en-US", EN), ("en_GB.UTF-8", EN),
])
def test_monitor_lang_picks_the_language(value: str | None, lang: str) -> None:
    environ = {} if value is None else {"MONITOR_LANG": value}
    assert cli_language(environ) == lang


def test_every_argparse_word_is_one_argparse_really_asks_for() -> None:
    """The catalog finds argparse's words by their English: a Python whose argparse words
    them differently fails here instead of quietly printing English."""
    source = inspect.getsource(argparse)
    words = {key: entry[EN] for key, entry in WORDS.items() if key.startswith("argparse.")}
    assert len(words) >= 15
    for key, english in words.items():
        assert repr(english) in source or f'"{english}"' in source, key


def test_argparse_gets_gettext_back_after_parsing(capsys: pytest.CaptureFixture[str]) -> None:
    assert vars(argparse)["_"] is gettext.gettext
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "用法：" in capsys.readouterr().out
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert "缺少必需的参数：--config" in capsys.readouterr().err
    assert vars(argparse)["_"] is gettext.gettext


def test_a_parser_built_in_english_has_english_help() -> None:
    with argparse_in(EN):
        text = build_parser(EN).format_help()
    assert text.startswith("usage: python -m monitor")
    with argparse_in(ZH):
        text = build_parser(ZH).format_help()
    assert text.startswith("用法：python -m monitor")


def test_argparse_plural_words_follow_the_language() -> None:
    with argparse_in(ZH):
        assert vars(argparse)["ngettext"]("expected %s argument", "expected %s arguments", 2) \
            == "需要 %s 个值"
    with argparse_in(EN):
        assert vars(argparse)["ngettext"]("expected %s argument", "expected %s arguments", 2) \
            == "expected %s arguments"


def _literal_texts(path: Path) -> list[str]:
    """help=, description= and epilog= given as string literals (they must be catalog words)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg in TEXT_KEYWORDS and isinstance(
                node.value, ast.Constant | ast.JoinedStr):
            found.append(f"{path.relative_to(ROOT)}:{node.value.lineno}: {node.arg}=")
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr in TEXT_KEYWORDS for t in node.targets) \
                and isinstance(node.value, ast.Constant | ast.JoinedStr):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: assigned text")
    return found


def test_no_command_holds_help_text_of_its_own() -> None:
    found = [line for path in COMMAND_FILES for line in _literal_texts(path)]
    assert found == [], "\n".join(found)


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings left out (they are for programmers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                body[0].value, ast.Constant):
            docstrings.add(id(body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_command_holds_chinese_of_its_own() -> None:
    """DESIGN.md rule 13: the command line looks its words up. bench.py is left out: it names
    its synthetic apps in Chinese, data of a load test rather than words."""
    found = [f"{path.relative_to(ROOT)}:{line}: {text.strip()}"
             for path in COMMAND_FILES if path.name != "bench.py"
             for line, text in _string_literals(path) if CJK.search(text)]
    assert found == [], "\n".join(found)
