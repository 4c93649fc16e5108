"""Judging the security headers of the app's HTTPS answer. Pure functions: headers in, checks out.

None of these is blocking: a missing header fails its item but makes the evaluation
"conditional" at worst (the app can be listed once the web server config is fixed).
"""

from __future__ import annotations

import re
from typing import Final

from multidict import MultiMapping

from monitor.governance.evaluate.model import FAIL, PASS, WARN, CheckOutcome
from monitor.governance.evaluate.texts import t

# 180 days: the common 等保 / HSTS-preload guidance; shorter lets a downgrade window reopen.
HSTS_MIN_AGE_S: Final = 15_552_000
# A version is digits with a dot ("1.18.0", "7.4") or digits right after a slash ("Apache/2").
_VERSION_RE: Final = re.compile(r"\d+\.\d+|/\s*v?\d")
# Headers beyond X-Powered-By that frameworks use only to announce themselves and their version.
_FRAMEWORK_HEADERS: Final = ("x-powered-by", "x-aspnet-version", "x-aspnetmvc-version")


def judge_headers(headers: MultiMapping[str], lang: str) -> list[CheckOutcome]:
    """Every header item, in report order."""
    return [
        hsts(headers, lang),
        frame_options(headers, lang),
        nosniff(headers, lang),
        csp(headers, lang),
        version_leak("server_version", ("server",), headers, lang),
        version_leak("x_powered_by", _FRAMEWORK_HEADERS, headers, lang),
    ]


def hsts(headers: MultiMapping[str], lang: str) -> CheckOutcome:
    value = headers.get("strict-transport-security")
    if value is None:
        return CheckOutcome("hsts", FAIL, t(lang, "hsts.missing"))
    age = _max_age(value)
    if age is None:
        return CheckOutcome("hsts", FAIL, t(lang, "hsts.invalid", value=value))
    data = {"max_age_s": age}
    if age < HSTS_MIN_AGE_S:
        return CheckOutcome("hsts", WARN, t(lang, "hsts.short", age=age, min=HSTS_MIN_AGE_S),
                            data=data)
    return CheckOutcome("hsts", PASS, t(lang, "hsts.ok", age=age, min=HSTS_MIN_AGE_S), data=data)


def _max_age(value: str) -> int | None:
    # Only the first header counts when several were sent (RFC 6797 §8.1); `get` gives the
    # first, and a value joined by a proxy with ", " is cut back to it.
    first = value.split(",", 1)[0]
    for directive in first.split(";"):
        name, _, raw = directive.strip().partition("=")
        if name.strip().lower() == "max-age":
            raw = raw.strip().strip('"')
            return int(raw) if raw.isdigit() else None
    return None


def frame_options(headers: MultiMapping[str], lang: str) -> CheckOutcome:
    value = headers.get("x-frame-options")
    if value is not None and value.strip().upper() in ("DENY", "SAMEORIGIN"):
        return CheckOutcome("x_frame_options", PASS, t(lang, "xfo.ok", value=value.strip()))
    # CSP frame-ancestors supersedes X-Frame-Options in every current browser.
    if "frame-ancestors" in _csp_directives(headers.get("content-security-policy")):
        return CheckOutcome("x_frame_options", PASS, t(lang, "xfo.csp"))
    if value is not None:
        return CheckOutcome("x_frame_options", WARN, t(lang, "xfo.weak", value=value.strip()))
    return CheckOutcome("x_frame_options", FAIL, t(lang, "xfo.missing"))


def _csp_directives(policy: str | None) -> set[str]:
    if not policy:
        return set()
    return {part.strip().split(" ", 1)[0].lower() for part in policy.split(";") if part.strip()}


def nosniff(headers: MultiMapping[str], lang: str) -> CheckOutcome:
    value = headers.get("x-content-type-options")
    if value is None:
        return CheckOutcome("x_content_type_options", FAIL, t(lang, "nosniff.missing"))
    if value.strip().lower() != "nosniff":
        return CheckOutcome("x_content_type_options", FAIL,
                            t(lang, "nosniff.wrong", value=value.strip()))
    return CheckOutcome("x_content_type_options", PASS, t(lang, "nosniff.ok"))


def csp(headers: MultiMapping[str], lang: str) -> CheckOutcome:
    if (headers.get("content-security-policy") or "").strip():
        return CheckOutcome("csp", PASS, t(lang, "csp.ok"))
    if headers.get("content-security-policy-report-only"):
        return CheckOutcome("csp", WARN, t(lang, "csp.report_only"))
    return CheckOutcome("csp", FAIL, t(lang, "csp.missing"))


def version_leak(
    check_id: str, names: tuple[str, ...], headers: MultiMapping[str], lang: str
) -> CheckOutcome:
    """Fail when any of `names` carries a version number; a bare product name is fine."""
    seen: list[tuple[str, str]] = []
    for name in names:
        for value in headers.getall(name, ()):
            seen.append((_display(name), value.strip()))
    for header, value in seen:
        if _VERSION_RE.search(value):
            return CheckOutcome(check_id, FAIL, t(lang, "version.leak", header=header, value=value),
                                data={"header": header, "value": value})
    if seen:
        header, value = seen[0]
        return CheckOutcome(check_id, PASS, t(lang, "version.ok", header=header, value=value))
    return CheckOutcome(check_id, PASS, t(lang, "version.absent", header=_display(names[0])))


def _display(name: str) -> str:
    """x-powered-by -> X-Powered-By, for people."""
    return "-".join(part.capitalize() for part in name.split("-"))
