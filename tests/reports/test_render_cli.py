"""`report monthly|incident --format html|pdf`: files written whole (temporary + rename), the
same page as the library renders, and PDF bytes unchanged on stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import build_parser
from tests.reports.conftest import Month
from tests.reports.synthetic_alerts import A_ID
from tests.reports.test_render_html import headings, parse_page
from tests.reports.test_render_pdf import assert_drawn, text_of

ROOT = Path(__file__).resolve().parents[2]


def report(*args: str) -> int:
    parsed = build_parser().parse_args(["report", *args])
    return int(parsed.handler(parsed))


@pytest.mark.parametrize(("kind", "selector", "title"), [
    ("monthly", ("--month", "2026-11"), "浙政钉上架应用运行质量月报（2026年11月）"),
    ("incident", ("--id", A_ID), "故障分析报告"),
])
def test_html(month: Month, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str,
              selector: tuple[str, str], title: str) -> None:
    out = tmp_path / "out" / f"{kind}.html"
    assert report(kind, "--config", str(month.config_path), *selector, "--format", "html",
                  "--out", str(out)) == 0
    assert "报告已写入" in capsys.readouterr().out
    page = parse_page(out.read_text(encoding="utf-8"))
    assert headings(page)[0] == title
    assert sorted(p.name for p in out.parent.iterdir()) == [f"{kind}.html"]  # no temporary left


@pytest.mark.parametrize(("kind", "selector", "words"), [
    ("monthly", ("--month", "2026-11"), ["运维月报", "柯桥区协同办公", "97.70%"]),
    ("incident", ("--id", A_ID), ["故障分析报告", A_ID, "连接泄漏未释放"]),
])
def test_pdf_through_the_real_entry_point(month: Month, tmp_path: Path, kind: str,
                                          selector: tuple[str, str], words: list[str]) -> None:
    out = tmp_path / f"{kind}.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "report", kind, "--config", str(month.config_path),
         *selector, "--format", "pdf", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert_drawn(pdf, tmp_path, kind)
    text = text_of(pdf, tmp_path, kind)
    for word in words:
        assert word in text, word
    assert not list(tmp_path.glob(".*.tmp"))


def test_pdf_to_stdout_is_binary_clean(month: Month, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "report", "incident", "--config",
         str(month.config_path), "--id", A_ID, "--format", "pdf", "--out", "-"],
        cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-")
    assert done.stdout.rstrip().endswith(b"%%EOF")
    assert "故障分析报告" in text_of(done.stdout, tmp_path, "stdout")


def test_an_existing_file_is_replaced_whole(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    out.write_text("old report", encoding="utf-8")
    assert report("monthly", "--config", str(month.config_path), "--month", "2026-11",
                  "--format", "html", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert out.stat().st_mode & 0o777 == 0o644


def test_unwritable_out(month: Month, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                        ) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert report("monthly", "--config", str(month.config_path), "--month", "2026-11",
                  "--format", "html", "--out", str(blocker / "m.html")) == 2
    assert "无法写入" in capsys.readouterr().err


def test_unknown_incident_writes_nothing(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    assert report("incident", "--config", str(month.config_path), "--id", "nope",
                  "--format", "pdf", "--out", str(out)) == 2
    assert not out.exists()
