"""The quarterly watch report from a data directory, as the bytes of one format: for
`report quarterly` (monitor.commands.report), which starts nothing and only reads.

    data = await quarterly_bytes(config, "2026Q4", "pdf", now=time.time())
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports.files import json_bytes
from monitor.reports.quarterly.build import build_quarterly
from monitor.reports.quarterly.jsonview import to_json
from monitor.reports.quarterly.model import QuarterlyReport
from monitor.reports.quarterly.period import Quarter
from monitor.reports.quarterly.view import render_quarterly_html
from monitor.reports.render import render_pdf

FORMATS = ("html", "pdf", "json")


async def read_quarterly(config: Config, quarter: Quarter, now: float) -> QuarterlyReport:
    """Open every store on data_dir (no pruning: a report deletes nothing), build, close."""
    data_dir = Path(config.service.data_dir)
    async with contextlib.AsyncExitStack() as stack:
        ledger = await SqliteLedger.open(
            data_dir, raw_retention_s=config.service.raw_retention_s,
            tuning=Tuning(prune_interval_s=None))
        stack.push_async_callback(ledger.close)
        alerts = await AlertStore.open(data_dir)
        stack.push_async_callback(alerts.close)
        traffic = await TrafficStore.open(data_dir)
        stack.push_async_callback(traffic.close)
        listing = await ListingStore.open(data_dir)
        stack.push_async_callback(listing.close)
        return await build_quarterly(config, ledger, quarter, now=now, alerts=alerts,
                                     traffic=traffic, listing=listing)

def encode_quarterly(report: QuarterlyReport, fmt: str) -> bytes:
    """json, html or pdf (drawn in this process: RenderError when WeasyPrint fails)."""
    if fmt == "json":
        return json_bytes(to_json(report))
    html = render_quarterly_html(report)
    return render_pdf(html) if fmt == "pdf" else html.encode("utf-8")


async def quarterly_bytes(config: Config, quarter: Quarter, fmt: str, *, now: float) -> bytes:
    report = await read_quarterly(config, quarter, now)
    return await asyncio.to_thread(encode_quarterly, report, fmt)
