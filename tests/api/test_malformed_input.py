"""Malformed input gets a clear 400 (401 for credentials), never a 500 or a traceback in the
log (Hardening, row 7). Each input is sent to the real service as a client would send it;
bytes that no well-behaved client library sends go over a raw socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from structlog.testing import capture_logs

from monitor.api.jsonbody import MAX_JSON_BYTES, nesting_depth, parse_json
from monitor.service import Service
from tests.api.conftest import TOKEN, Api, SetClock, open_incident
from tests.support.target import Target


async def raw_request(port: int, head: bytes, body: bytes = b"") -> tuple[int, str]:
    """Send bytes as they are; the status and the body of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    length = f"Content-Length: {len(body)}\r\n".encode() if body else b""
    writer.write(head + b"Host: 127.0.0.1\r\nConnection: close\r\n" + length + b"\r\n" + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


@contextmanager
def no_traceback(caplog: pytest.LogCaptureFixture) -> Iterator[list[dict[str, Any]]]:
    """Neither the service's log (structlog) nor aiohttp's (stdlib) logs a traceback."""
    caplog.set_level(logging.DEBUG)
    with capture_logs() as logs:
        yield logs
    assert [e for e in logs if e.get("exc_info") or e["log_level"] == "error"] == []
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def error_of(body: str) -> dict[str, Any]:
    error: dict[str, Any] = json.loads(body)["error"]
    assert error["code"]
    assert error["message"]
    return error


async def test_a_stray_byte_in_the_authorization_header_is_a_401(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    port = service.bound_port
    assert port is not None
    with no_traceback(caplog):
        for token in (b"tok\xe9", TOKEN.encode() + b"\xe9", b"\xff\xfe", b"\xc3\xa9"):
            status, body = await raw_request(
                port, b"POST /api/v1/incidents/x/notes HTTP/1.1\r\n"
                      b"Authorization: Bearer " + token + b"\r\n"
                      b"Content-Type: application/json\r\n", b'{"by": "a", "note": "b"}')
            assert status == 401, (token, body)
            assert error_of(body)["code"] == "unauthorized"


async def test_json_bodies_that_are_not_plain_json_are_400(
        service: Service, api: Api, target: Target, clock: SetClock,
        caplog: pytest.LogCaptureFixture) -> None:
    incident_id = await open_incident(service, target, clock)
    path = f"/api/v1/incidents/{incident_id}/notes"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    bodies = {
        "deep array": b"[" * 100_000 + b"]" * 100_000,
        "deep object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "lone surrogate": b'{"by": "\\ud800", "note": "x"}',
        "surrogate in note": b'{"by": "a", "note": "\\udfff"}',
        "surrogate key": b'{"by": "a", "note": "x", "\\ud800": 1}',
        "latin-1": '{"by": "é", "note": "x"}'.encode("latin-1"),
        "utf-16": '{"by": "a", "note": "x"}'.encode("utf-16"),
        "NaN": b'{"by": "a", "note": "x", "n": NaN}',
        "empty": b"",
        "truncated": b'{"by": "a", "note": "x"',
    }
    with no_traceback(caplog):
        for what, body in bodies.items():
            async with api.http.post(api.base + path, data=body, headers=headers) as resp:
                text = await resp.text()
                assert resp.status == 400, (what, text)
                assert resp.content_type == "application/json"
                error_of(text)
        async with api.http.post(api.base + path, data=b" " * (MAX_JSON_BYTES + 1),
                                 headers=headers) as resp:
            assert resp.status == 413
            error_of(await resp.text())
    incident = await service.alerts.get(incident_id)
    assert [e for e in incident.timeline if e.type == "note"] == []
    # What is fine still is: 64 levels deep and real Chinese text.
    deep = {"by": "张三", "note": "备注", "x": json.loads("[" * 62 + "]" * 62)}
    status, _ = await api.post(path, deep)
    assert status == 200


def test_the_helper_counts_depth_outside_strings() -> None:
    assert nesting_depth(b'{"a": "[[[[[[", "b": [[1]]}') == 3
    assert nesting_depth(b'["\\"[[[", [2]]') == 2
    assert parse_json(b'{"a": "\\u00e9"}') == {"a": "é"}
    assert parse_json(b"[" * 64 + b"]" * 64)


async def test_a_bad_link_token_on_the_ack_page_is_a_clear_page(
        service: Service, target: Target, clock: SetClock,
        caplog: pytest.LogCaptureFixture) -> None:
    incident_id = await open_incident(service, target, clock)
    port = service.bound_port
    assert port is not None
    quoted = incident_id.encode()
    with no_traceback(caplog):
        # é as a browser sends it (percent-encoded UTF-8), and as single Latin-1 byte.
        for query in (b"t=%C3%A9", b"t=%E9", b"t=%ED%A0%80"):
            status, page = await raw_request(port, b"GET /ack/" + quoted + b"?" + query
                                             + b" HTTP/1.1\r\n")
            assert status == 400, (query, page[:300])
            assert "链接无效" in page
        # é as raw bytes in the request line: aiohttp's parser answers 400 itself.
        status, _ = await raw_request(port, b"GET /ack/" + quoted + b"?t=\xc3\xa9 HTTP/1.1\r\n")
        assert status == 400
        form = b"application/x-www-form-urlencoded"
        for body in (b"t=%C3%A9&by=a", b"t=\xe9&by=a", b"t=x&by=%ED%A0%80", b"t=x&by=\xff"):
            status, page = await raw_request(
                port, b"POST /ack/" + quoted + b" HTTP/1.1\r\nContent-Type: " + form + b"\r\n",
                body)
            assert status in (400, 403), (body, page[:300])
            assert "<!doctype html>" in page
        boundary = b"xyz"
        multipart = (b"--xyz\r\nContent-Disposition: form-data; name=\"by\"\r\n\r\n\xed\xa0\x80"
                     b"\r\n--xyz--\r\n")
        status, page = await raw_request(
            port, b"POST /ack/" + quoted + b" HTTP/1.1\r\n"
                  b"Content-Type: multipart/form-data; boundary=" + boundary + b"\r\n", multipart)
        assert status in (400, 403), page[:300]
    incident = await service.alerts.get(incident_id)
    assert incident.acknowledged_at is None


async def test_a_bad_login_nonce_or_cookie_is_a_clear_page(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    port = service.bound_port
    assert port is not None
    form = b"Content-Type: application/x-www-form-urlencoded\r\n"
    with no_traceback(caplog):
        for cookie, nonce in ((b"\xe9", b"%C3%A9"), (b"\xe9", b"\xe9"), (b"ok", b"%ED%A0%80"),
                              (b"\xc3\xa9", b"%C3%A9")):
            status, page = await raw_request(
                port, b"POST /login HTTP/1.1\r\n" + form + b"Cookie: appmon_login=" + cookie
                + b"\r\n", b"nonce=" + nonce + b"&name=a&token=" + TOKEN.encode())
            assert status == 400, (cookie, nonce, page[:300])
            assert "<!doctype html>" in page.lower()
        # A session cookie with stray bytes: simply not signed in.
        status, page = await raw_request(
            port, b"GET /reports HTTP/1.1\r\nCookie: appmon_session=\xe9\xff\r\n")
        assert status == 200
        assert "data-signin" in page
        # A form post with such a cookie: to the sign-in page, nothing done.
        status, _ = await raw_request(
            port, b"POST /logout HTTP/1.1\r\n" + form + b"Cookie: appmon_session=\xe9\r\n",
            b"_csrf=%E9")
        assert status == 303
