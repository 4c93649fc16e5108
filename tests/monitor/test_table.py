from __future__ import annotations

from monitor.table import display_width, render_table, truncate


def test_columns_line_up_with_chinese_text() -> None:
    table = render_table(["应用", "状态"], [["柯桥区协同办公", "up"], ["oa", "down"]])
    lines = table.splitlines()
    status_columns = {display_width(line.split("  ")[0]) for line in (lines[0], lines[2])}
    assert display_width(lines[2][: lines[2].index("up")]) == display_width(
        lines[3][: lines[3].index("down")])
    assert status_columns


def test_truncate_respects_display_width() -> None:
    assert display_width(truncate("柯桥区协同办公系统", 8)) <= 8
    assert truncate("short", 10) == "short"
