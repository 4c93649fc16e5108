"""The report pages: HTML from Jinja2 templates, and PDF drawn from that same HTML by WeasyPrint.

    html = render_monthly_html(report)        # MonthlyReport -> str
    html = render_incident_html(report)       # IncidentReport -> str
    pdf = render_pdf(html)                    # -> bytes

Pages are self-contained (CSS and SVG charts inline, no script, no external file), so one
HTML file can be mailed, archived or opened offline, and the PDF is exactly that page laid
out on A4. The text is the model's: nothing here computes a figure, it only formats them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any, NoReturn

import jinja2

from monitor.reports.fmt import Formatter
from monitor.reports.incident.model import IncidentReport
from monitor.reports.incident.view import incident_context
from monitor.reports.monthly.model import MonthlyReport
from monitor.reports.monthly.view import monthly_context


class RenderError(RuntimeError):
    """The PDF could not be produced (WeasyPrint failed); the HTML is still usable."""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates/reports"),
        # .html escaped; the stylesheet (.css) is included verbatim into <style>.
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails loudly, not as a blank
    )


def render_monthly_html(report: MonthlyReport) -> str:
    f = Formatter(report.language, report.timezone)
    return environment().get_template("monthly.html").render(monthly_context(report, f))


def render_monthly_mail(report: MonthlyReport) -> str:
    """The HTML body of the monthly mail: the summary only, the full report is attached."""
    f = Formatter(report.language, report.timezone)
    return environment().get_template("mail.html").render(monthly_context(report, f))


def render_incident_html(report: IncidentReport, *, draft: bool = False) -> str:
    f = Formatter(report.language, report.timezone)
    context: dict[str, Any] = incident_context(report, f)
    context["draft"] = draft
    return environment().get_template("incident.html").render(context)


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    """URL fetcher of WeasyPrint before 70 (a function)."""
    raise ValueError(f"report pages load no external resources: {url!r}")


def _fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that fetches nothing. The pages need no external resource and text from
    probes and people is escaped, so a fetch (file:///etc/..., an intranet URL) is a bug or an
    attack. WeasyPrint 70 takes a URLFetcher object; older versions a function."""
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    return _refuse if fetcher_class is None else fetcher_class(allowed_protocols=())


def render_pdf(html: str) -> bytes:
    """The page as an A4 PDF; fonts come from the system (fonts-noto-cjk for Chinese)."""
    # Imported here, not at the top: it costs ~0.3 s and loads Pango, which `report --format
    # json` and the service's start-up do not need. No type hints are published for it.
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415
    import weasyprint.urls  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        pdf = weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint)).write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; to callers it is one failure
        raise RenderError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("PDF rendering produced no document")
    return pdf


async def render_pdf_isolated(html: str) -> bytes:
    """render_pdf in a separate process, for use inside the running service.

    Laying out a thousand-app report is seconds of pure-Python CPU; in a thread it would hold
    the GIL against the event loop and inflate the latency the probes measure meanwhile. A
    fresh "spawn" process (not fork: the service has threads) costs about a second, once a
    month."""
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await loop.run_in_executor(pool, render_pdf, html)
    finally:
        # Never wait here, on the event loop: with the result in, the worker exits at once;
        # after a cancel (service stopping) it finishes its layout in the background.
        pool.shutdown(wait=False, cancel_futures=True)
