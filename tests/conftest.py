"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import structlog

from monitor.core import secrets


@pytest.fixture(autouse=True)
def _fresh_secrets() -> Iterator[None]:
    """Each test starts with an empty registry of secret values: a config one test loaded
    must not mask another test's text."""
    secrets.forget_all()
    yield
    secrets.forget_all()


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    """A test that runs a command in-process configures logging for the whole process (level,
    renderer); put structlog back afterwards so the next test sees the defaults."""
    yield
    structlog.reset_defaults()


# The slow lane: modules that start subprocesses (the CLI, the demo), Chromium, nginx, InfluxDB
# or VictoriaMetrics, render PDFs, or run probes against real servers on both event loops.
# `./dev.sh test -m "not slow"` leaves them out (under a minute); `./dev.sh test` runs them all.
# Measured with `pytest --durations=0`: each of these takes 2.5 s or more.
SLOW_MODULES: frozenset[str] = frozenset({
    "alerting/test_outbox.py", "alerting/test_restart.py", "alerting/test_store.py",
    "console/test_app_page.py", "console/test_browser_smoke.py",
    "console/test_governance_browser.py", "console/test_incident_pages.py",
    "console/test_oncall_flow.py", "console/test_report_browser.py",
    "console/test_reports_browser.py",
    "console/test_wall_browser.py", "console/test_wall_truth_browser.py",
    "reports/test_docx.py", "monitor/test_public_url.py", "demo/test_farm.py",
    "evaluate/test_cli.py",
    "evaluate/test_secrets.py",
    "influx/test_outage.py", "influx/test_sink.py", "inventory/test_cli.py",
    "ledger/test_sqlite.py", "listing/test_cli.py", "listing/test_monthly.py",
    "listing/test_rectification.py", "monitor/test_cli.py", "monitor/test_own_faults.py",
    "monitor/test_scheduler.py", "probes/test_dns.py", "probes/test_flow.py",
    "probes/test_http.py", "probes/test_realworld.py", "probes/test_tcp.py",
    "probes/test_tls.py", "reports/test_render_cli.py", "reports/test_render_pdf.py",
    "reports/test_schedule.py", "traffic/test_cli.py",
})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = config.rootpath / "tests"
    for item in items:
        if item.path.relative_to(tests).as_posix() in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
