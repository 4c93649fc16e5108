"""The pure parts: header judgments, scores, verdict, traffic thresholds."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from monitor.governance.evaluate import EvaluationOptions, TrafficFigures, evaluate, to_html
from monitor.governance.evaluate.headers import csp, frame_options, hsts, version_leak
from monitor.governance.evaluate.model import CheckOutcome, Status
from monitor.governance.evaluate.ports import parse_ports
from monitor.governance.evaluate.scoring import dimension, overall_score, reasons, verdict
from monitor.governance.evaluate.traffic import traffic_items, visitor_threshold
from tests.evaluate.trial import app_config
from tests.support.baseline_servers import RunningSite


def headers(**values: str) -> CIMultiDict[str]:
    return CIMultiDict([(name.replace("_", "-"), value) for name, value in values.items()])


@pytest.mark.parametrize(("value", "status"), [
    ("max-age=31536000; includeSubDomains; preload", "pass"),
    ('max-age="15552000"', "pass"),
    ("MAX-AGE=15551999", "warn"),
    ("includeSubDomains", "fail"),
    ("max-age=abc", "fail"),
])
def test_hsts_max_age(value: str, status: str) -> None:
    assert hsts(headers(strict_transport_security=value), "zh-CN").status == status


@pytest.mark.parametrize(("value", "status"), [
    ("nginx", "pass"), ("Apache", "pass"), ("Express", "pass"), ("ASP.NET", "pass"),
    ("nginx/1.18.0", "fail"), ("Apache/2.4.41 (Ubuntu)", "fail"), ("Microsoft-IIS/10.0", "fail"),
    ("PHP/7.4", "fail"), ("openresty/1.21.4.1", "fail"), ("Apache/2", "fail"),
])
def test_version_leaks(value: str, status: str) -> None:
    assert version_leak("server_version", ("server",), headers(server=value), "zh-CN").status \
        == status


def test_aspnet_version_header_counts_as_powered_by() -> None:
    found = version_leak("x_powered_by", ("x-powered-by", "x-aspnet-version"),
                         headers(x_aspnet_version="4.0.30319"), "en")
    assert (found.status, found.detail) == ("fail", "X-Aspnet-Version: 4.0.30319 reveals a version")


def test_obsolete_frame_options_and_report_only_csp_warn() -> None:
    assert frame_options(headers(x_frame_options="ALLOW-FROM https://a.example"), "zh-CN").status \
        == "warn"
    only_report = headers(content_security_policy_report_only="default-src 'self'")
    assert csp(only_report, "zh-CN").status == "warn"


def outcome(status: Status, blocking: bool = False, check_id: str = "hsts") -> CheckOutcome:
    return CheckOutcome(check_id, status, f"{check_id} is {status}", blocking=blocking)


def test_dimension_scores_weigh_blocking_items_double() -> None:
    dim = dimension("security", [outcome("pass", True), outcome("fail"), outcome("warn"),
                                 outcome("unknown")])
    assert dim.score == round((100 * 2 + 0 + 60) / 4)
    assert dim.status == "fail"
    assert dimension("traffic", [outcome("unknown")]).score is None


def test_verdict_rules() -> None:
    blocking_fail = dimension("security", [outcome("fail", True, "cert_valid")])
    other_fail = dimension("security", [outcome("fail", False, "csp")])
    warning = dimension("security", [outcome("warn", True, "cert_valid")])
    clean = dimension("security", [outcome("pass", True, "cert_valid"), outcome("unknown")])
    assert verdict([blocking_fail, other_fail]) == "fail"
    assert verdict([other_fail, clean]) == "conditional"
    assert verdict([warning]) == "conditional"
    assert verdict([clean]) == "pass"


def test_overall_score_rescales_and_caps_a_fail() -> None:
    security = dimension("security", [outcome("pass", True)])
    availability = dimension("availability", [outcome("fail", True, "availability")])
    traffic = dimension("traffic", [outcome("unknown", False, "traffic_visitors")])
    # security 40 × 100 + availability 30 × 0, over 70 (traffic has no score).
    assert overall_score([security, availability, traffic], "conditional") == 57
    assert overall_score([security, traffic], "pass") == 100
    assert overall_score([security], "fail") == 59


def test_reasons_list_blocking_failures_first() -> None:
    dims = [dimension("security", [outcome("warn", True, "cert_valid"), outcome("fail"),
                                   outcome("fail", True, "tls_version")])]
    assert reasons(dims, "en") == (
        "Security baseline · TLS version ≥ 1.2: tls_version is fail",
        "Security baseline · HSTS: hsts is fail",
        "Security baseline · Certificate valid, ≥ 30 days left: cert_valid is warn",
    )


@pytest.mark.parametrize(("visitors", "target_users", "status"), [
    (None, None, "unknown"), (0, None, "fail"), (9, None, "warn"), (10, None, "pass"),
    (50, 2000, "warn"), (100, 2000, "pass"),
])
def test_traffic_thresholds(visitors: int | None, target_users: int | None, status: str) -> None:
    figures = TrafficFigures(unique_visitors=visitors) if visitors is not None else None
    [found] = traffic_items(figures, target_users, "zh-CN")
    assert found.status == status
    assert not found.blocking


def test_visitor_threshold_follows_the_low_frequency_rule() -> None:
    assert visitor_threshold(None) == 10
    assert visitor_threshold(100) == 10
    assert visitor_threshold(2001) == 101


async def test_a_traffic_source_fills_the_dimension(site: RunningSite) -> None:
    asked: list[tuple[str | None, float, float]] = []

    async def gateway(app_id: str | None, start: float, end: float) -> TrafficFigures | None:
        asked.append((app_id, start, end))
        return TrafficFigures(unique_visitors=80, visits=900, source="网关访问日志")

    app = app_config(site.url, target_users=1000)
    ev = await evaluate(site.url, site.options(), app=app, traffic=gateway)
    traffic = ev.dimensions[3]
    assert (traffic.status, traffic.score) == ("pass", 100)
    assert traffic.checks[0].detail == "试运行期独立访客 80 人（阈值 50）"
    assert traffic.source == "访问量来源：网关访问日志"
    [(app_id, start, end)] = asked
    assert app_id == "kq-oa"
    assert end - start == 14 * 86400 + 3600  # whole hours at both ends
    assert ev.verdict == "pass"
    assert ev.notes == ()


def test_port_lists() -> None:
    assert parse_ports("22, 3306,22") == (22, 3306)
    assert parse_ports("none") == ()
    with pytest.raises(ValueError, match="bad port '70000'"):
        parse_ports("22,70000")


async def test_a_bad_url_is_refused_before_any_network_work() -> None:
    with pytest.raises(ValueError, match="not an http"):
        await evaluate("ftp://example.org/", EvaluationOptions())


async def test_the_english_page(site: RunningSite) -> None:
    page = to_html(await evaluate(site.url, site.options(lang="en")))
    assert '<html lang="en">' in page
    assert "Pre-listing evaluation" in page
    assert "How scores and the verdict are decided" in page
