from __future__ import annotations

import io
import json

import structlog

from monitor.core.fields import Secret
from monitor.core.logs import configure_logging, mask_text


def test_mask_text_hides_tokens_in_free_text() -> None:
    text = ("POST https://oapi.dingtalk.com/robot/send?access_token=tok123 failed; "
            "Authorization: Bearer abc.def")
    masked = mask_text(text)
    assert "tok123" not in masked
    assert "abc.def" not in masked
    assert "oapi.dingtalk.com" in masked


def test_json_log_lines_mask_secrets_and_carry_context() -> None:
    out = io.StringIO()
    configure_logging("info", "json", stream=out)
    log = structlog.get_logger("test")
    with structlog.contextvars.bound_contextvars(app="kq-oa", check="home"):
        log.info("probe_finished", token="raw-token", secret=Secret("xyz"),
                 url="https://h/robot?access_token=leak", note="柯桥")
    log.debug("hidden_at_info")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "probe_finished"
    assert line["app"] == "kq-oa"
    assert line["check"] == "home"
    assert line["note"] == "柯桥"
    dumped = out.getvalue()
    for leaked in ("raw-token", "xyz", "leak"):
        assert leaked not in dumped
