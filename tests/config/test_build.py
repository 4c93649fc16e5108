"""The generic builder on small dataclasses of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.config.build import FAILED, Builder
from monitor.config.yamlnodes import Issues, parse_yaml
from monitor.core.fields import ByteSize, Duration, setting


@dataclass(frozen=True)
class Window:
    start_s: Duration = setting(key="start", doc="offset")
    end_s: Duration = setting(key="end", doc="offset")
    size: ByteSize = setting(0, doc="bytes")
    note: str | None = setting(None, doc="free text")
    value: Any = setting(None, doc="anything scalar")

    def __post_init__(self) -> None:
        if self.end_s <= self.start_s:
            raise ValueError("end must come after start")


def build(text: str) -> tuple[Any, list[str]]:
    issues = Issues()
    node = parse_yaml(text, "w.yaml", {}, issues)
    assert node is not None
    built = Builder(issues).value(tuple[Window, ...], node, "windows")
    return built, [str(issue) for issue in issues.ordered()]


def test_values_and_defaults() -> None:
    built, issues = build(
        "- {start: 1m, end: 2m, size: 1MiB, note: ~, value: 3}\n- {start: 0s, end: 1h, size: 512}\n"
    )
    assert issues == []
    assert built == (
        Window(60.0, 120.0, 1024 * 1024, None, 3),
        Window(0.0, 3600.0, 512, None, None),
    )


def test_a_rule_of_the_class_itself_becomes_an_issue_at_its_mapping() -> None:
    built, issues = build("- start: 2m\n  end: 1m\n")
    assert built is FAILED
    assert issues == ["w.yaml:1: windows[0]: end must come after start"]


def test_every_field_is_checked_even_after_a_failure() -> None:
    _, issues = build("- {start: soon, end: later, size: -5, colour: red}\n")
    assert issues == [
        "w.yaml:1: windows[0].colour: unknown key 'colour';"
        " expected one of: end, note, size, start, value",
        "w.yaml:1: windows[0].start: bad duration 'soon':"
        " expected a number and a unit ms, s, m, h or d",
        "w.yaml:1: windows[0].end: bad duration 'later':"
        " expected a number and a unit ms, s, m, h or d",
        "w.yaml:1: windows[0].size: bad size '-5':"
        " expected bytes, or a number with KiB, MiB, KB, MB...",
    ]


def test_wrong_shapes() -> None:
    _, issues = build("- just-a-string\n- {start: [1], end: {a: 1}, value: [1]}\n")
    assert issues == [
        "w.yaml:1: windows[0]: expected a mapping, got 'just-a-string'",
        "w.yaml:2: windows[1].start: expected a duration, got a list",
        "w.yaml:2: windows[1].end: expected a duration, got a mapping",
        "w.yaml:2: windows[1].value: expected a single value (string, number, true/false or null),"
        " got a list",
    ]
