from __future__ import annotations

import pytest

from monitor.core.fields import (
    Secret,
    SecretUrl,
    format_duration,
    mask_url,
    parse_byte_size,
    parse_duration,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("500ms", 0.5), ("15s", 15.0), ("10m", 600.0), ("1h", 3600.0), ("7d", 604800.0),
    ("1.5s", 1.5), (" 2m ", 120.0),
])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "5 minutes", "-1s", "1w", "s"])
def test_bad_durations_are_rejected_with_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="bad duration"):
        parse_duration(text)


def test_format_duration_round_trips() -> None:
    for seconds in (0.5, 15, 90, 600, 3600, 86400 * 7):
        assert parse_duration(format_duration(seconds)) == seconds


def test_byte_sizes() -> None:
    assert parse_byte_size("1MiB") == 1048576
    assert parse_byte_size("64KB") == 64000
    assert parse_byte_size("123") == 123
    with pytest.raises(ValueError, match="bad size"):
        parse_byte_size("1 lots")


def test_secret_never_shows_its_value() -> None:
    secret = Secret("s3cr3t-value")
    assert "s3cr3t" not in repr(secret)
    assert "s3cr3t" not in str(secret)
    assert "s3cr3t" not in f"{secret!r} {secret}"
    assert secret.reveal() == "s3cr3t-value"


def test_secret_url_masks_token_and_password() -> None:
    url = SecretUrl("https://user:pw@oapi.dingtalk.com/robot/send?access_token=abc123&x=1")
    shown = f"{url} {url!r}"
    assert "abc123" not in shown
    assert "pw@" not in shown
    assert "oapi.dingtalk.com/robot/send" in shown
    assert "x=1" in shown


def test_mask_url_keeps_harmless_urls() -> None:
    assert mask_url("http://127.0.0.1:8080/health?a=1") == "http://127.0.0.1:8080/health?a=1"
