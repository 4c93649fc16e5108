"""The node tree: lines, duplicate keys, ${ENV}, merge keys."""

from __future__ import annotations

from monitor.config.yamlnodes import Issues, Map, Scalar, Seq, join, parse_yaml, scalar_from_text


def parse(text: str, env: dict[str, str] | None = None) -> tuple[object, list[str]]:
    issues = Issues()
    node = parse_yaml(text, "c.yaml", env or {}, issues)
    return node, [str(issue) for issue in issues.ordered()]


def test_nodes_remember_their_lines_and_types() -> None:
    node, issues = parse("a: 1\nb:\n  - x\n  - 2.5\nc: yes\nd: ~\ne: '7'\n")
    assert issues == []
    assert isinstance(node, Map)
    b = node.get("b")
    assert isinstance(b, Seq)
    assert [(item.line, item.value) for item in b.items if isinstance(item, Scalar)] == [
        (3, "x"),
        (4, 2.5),
    ]
    values = {key: entry.value for key, entry in node.entries.items()}
    assert [(v.value, v.text) for v in values.values() if isinstance(v, Scalar)] == [
        (1, "1"), (True, "yes"), (None, "~"), ("7", "7"),
    ]  # fmt: skip


def test_duplicate_keys_at_any_depth() -> None:
    _, issues = parse("a:\n  b: 1\n  c: 2\n  b: 3\na: 4\n")
    assert issues == [
        "c.yaml:4: a.b: duplicate key (first at line 2)",
        "c.yaml:5: a: duplicate key (first at line 1)",
    ]


def test_environment_substitution() -> None:
    node, issues = parse(
        "a: ${X}\nb: 'x-${X}-y'\nc: $${X}\nd: ${MISSING}\ne: ${Y}\n", {"X": "42", "Y": "true"}
    )
    assert issues == ["c.yaml:4: d: environment variable MISSING is not set"]
    assert isinstance(node, Map)
    got = {k: e.value for k, e in node.entries.items()}
    assert [(s.value, s.unresolved) for s in got.values() if isinstance(s, Scalar)] == [
        (42, False), ("x-42-y", False), ("${X}", False), ("${MISSING}", True), (True, False),
    ]  # fmt: skip


def test_merge_keys_and_their_precedence() -> None:
    node, issues = parse(
        "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\nm:\n  <<: [*b, *o]\n  x: 9\n"
    )
    assert issues == []
    assert isinstance(node, Map)
    merged = node.get("m")
    assert isinstance(merged, Map)
    assert {k: e.value.value for k, e in merged.entries.items() if isinstance(e.value, Scalar)} == {
        "x": 9, "y": 2, "z": 4,
    }  # fmt: skip


def test_recursive_alias_is_an_issue_not_a_hang() -> None:
    _, issues = parse("a: &x\n  - *x\n")
    assert issues == ["c.yaml:1: a[0]: recursive YAML alias"]


def test_complex_keys_are_rejected() -> None:
    _, issues = parse("? [a, b]\n: 1\n")
    assert issues == ["c.yaml:1: a key must be a plain string"]


def test_spreadsheet_cells_resolve_like_plain_yaml() -> None:
    assert scalar_from_text("a.csv", 3, "2").value == 2
    assert scalar_from_text("a.csv", 3, "13800000000").text == "13800000000"
    assert scalar_from_text("a.csv", 3, "柯桥").value == "柯桥"


def test_key_paths() -> None:
    assert join("", "apps") == "apps"
    assert join("apps[0]", "url") == "apps[0].url"
    assert join("headers", "X.Y") == "headers['X.Y']"
