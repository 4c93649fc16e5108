"""How long the monthly report takes as a Word document on a district-sized month.

    .venv/bin/python tests/benchmarks/monthly_docx.py [--apps 1000] [--days 30] [--out DIR]

The month is written as monthly_report.py writes it (hourly rollups in the ledger's schema,
an incident for one app in five), built once with `build_monthly`, then `monthly_docx` is
timed: the document with its 1,000-row app table and the three charts drawn to PNG. With
soffice installed, the time LibreOffice takes to open it and lay it out as PDF is shown too.
`--out DIR` keeps the .docx. Nothing is asserted: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from monitor.core.logs import configure_logging
from monitor.core.sqlite.schema import DB_FILE
from monitor.reports.docx import monthly_docx
from monitor.reports.docx.raster import svg_to_png
from monitor.reports.fmt import Formatter
from monitor.reports.monthly.view import monthly_context
from monitor.reports.period import month_period
from tests.benchmarks.monthly_report import MONTH, TZ, build, config, write_alerts, write_rollups


def libreoffice_s(path: Path, tmp: Path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        return "soffice not installed"
    started = time.perf_counter()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp / "pdf"), str(path)],
        capture_output=True, check=False, timeout=900)
    pdf = tmp / "pdf" / (path.stem + ".pdf")
    if done.returncode or not pdf.is_file():
        return f"failed: {done.stderr.decode(errors='replace')[-200:]}"
    return f"{time.perf_counter() - started:.1f}s, PDF {pdf.stat().st_size / 1e6:.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--out", type=Path, default=None, help="keep the .docx here")
    args = parser.parse_args()
    configure_logging("error", "json")
    period = month_period(MONTH, ZoneInfo(TZ), time.time() + 400 * 86400)
    now = period.end + 3600
    days = min(args.days, len(period.dates))
    with tempfile.TemporaryDirectory(prefix="appmon-docx-") as name:
        tmp = Path(name)
        rows = write_rollups(tmp / DB_FILE, args.apps, period.start, days * 24, 60.0)
        asyncio.run(write_alerts(tmp, args.apps, period.start, days))
        wall, _, report = asyncio.run(build(config(args.apps, tmp), tmp, now))
        print(f"month                {args.apps} apps x {days} days, {rows:,} hourly rollups; "
              f"build_monthly {wall:.2f}s")
        charts = monthly_context(report, Formatter(report.language, report.timezone))["charts"]
        started = time.perf_counter()
        for chart in charts.values():
            if chart is not None:
                svg_to_png(str(chart))
        print(f"charts to PNG        {time.perf_counter() - started:.2f}s")
        started = time.perf_counter()
        data = monthly_docx(report)
        print(f"monthly_docx         {time.perf_counter() - started:.2f}s, "
              f"{len(data) / 1e6:.2f} MB")
        path = tmp / f"monthly-{MONTH}.docx"
        path.write_bytes(data)
        print(f"LibreOffice to PDF   {libreoffice_s(path, tmp)}")
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, args.out / path.name)
            print(f"written              {args.out / path.name}")


if __name__ == "__main__":
    main()
