"""Probe failure reasons as people read them, in both languages, from one table."""

from __future__ import annotations

import pytest

from monitor.core.i18n import EN, MESSAGES, ZH, error_label
from monitor.core.reasons import REASONS, Reason, duration_text, render
from probes.base import ErrorKind


def test_every_reason_speaks_both_languages() -> None:
    assert [code for code, entry in REASONS.items() if set(entry) != {ZH, EN}] == []


def test_every_error_kind_has_a_name_in_both_languages() -> None:
    for kind in ErrorKind:
        assert set(MESSAGES[f"error.kind.{kind.value}"]) == {ZH, EN}, kind
    assert error_label(ZH, ErrorKind.STATUS) == "状态码异常"


@pytest.mark.parametrize(("reason", "zh", "en"), [
    (Reason("status", {"got": 503, "wanted": "200"}), "状态码 503（期望 200）",
     "status 503, expected 200"),
    (Reason("body_missing", {"text": "柯桥"}), "页面未包含“柯桥”",
     "body does not contain '柯桥'"),
    (Reason("slow", {"took_s": 2.6, "limit_s": 2.0}), "响应 2.6 秒，超过上限 2 秒",
     "answered in 2.6s, limit 2s"),
    (Reason("cert_expiring", {"days": "10.0", "min": 14}), "证书 10.0 天后到期（少于 14 天）",
     "certificate expires in 10.0 days (< 14)"),
    (Reason("timeout.connect", {"limit_s": 0.5}), "500 毫秒 内未能建立连接",
     "connect not complete within 500ms"),
    (Reason("step", {"step": "登录", "detail": Reason("status", {"got": 401, "wanted": "2xx"})}),
     "步骤“登录”：状态码 401（期望 2xx）", "step '登录': status 401, expected 2xx"),
])
def test_reasons_render_in_the_readers_language(reason: Reason, zh: str, en: str) -> None:
    assert render(reason, ZH) == zh
    assert render(reason, EN) == en


def test_durations_are_written_the_readers_way() -> None:
    assert [duration_text(s, ZH) for s in (0.85, 2.0, 2.64)] == ["850 毫秒", "2 秒", "2.6 秒"]
    assert [duration_text(s, EN) for s in (0.85, 2.0, 2.64)] == ["850ms", "2s", "2.6s"]
