"""Pre-listing evaluation (上架前评估): is an app fit to go on the district's workbench?

`python -m monitor evaluate --url URL` (or `--config FILE --app ID`) judges four dimensions:

- security (安全基线, DOMAIN.md's 等保 2.0 baseline): HTTP redirects to HTTPS, TLS ≥ 1.2
  negotiated, TLS 1.0/1.1 refused, a trusted certificate for the host with ≥ 30 days left,
  HSTS max-age ≥ 180 days, X-Frame-Options (or CSP frame-ancestors), nosniff, a CSP, no
  version in Server / X-Powered-By, no high-risk port open on the app's host;
- availability (可用性) and performance (性能): the ledger's last 14 days of hourly rollups
  when the app has been watched during a trial, otherwise a burst of probes now;
  availability < 99% fails, p95 > 3 s warns and > 15 s fails;
- traffic (访问量): visitors from a `TrafficSource` when one is given, else "unknown".

Verdict (scoring.py has the scores):
- fail (不通过): a blocking item failed: the HTTPS redirect, the TLS version, old TLS
  versions accepted, the certificate (expired, untrusted, wrong name, unreachable), an open
  high-risk port, availability under 99%, or p95 over 15 s;
- conditional (条件通过): no blocking failure, but warnings or other failed items (missing
  security headers, a leaked version, a quiet trial): list after fixing them;
- pass (通过): every item that could be judged passed.

The CLI exits 0 for pass and conditional, 1 for fail, 2 for bad arguments.
"""

from monitor.governance.evaluate.model import (
    CheckOutcome,
    Dimension,
    Evaluation,
    EvaluationOptions,
    TrafficFigures,
    TrafficSource,
)
from monitor.governance.evaluate.ports import HIGH_RISK_PORTS
from monitor.governance.evaluate.render import to_html, to_json
from monitor.governance.evaluate.runner import evaluate

__all__ = [
    "HIGH_RISK_PORTS",
    "CheckOutcome",
    "Dimension",
    "Evaluation",
    "EvaluationOptions",
    "TrafficFigures",
    "TrafficSource",
    "evaluate",
    "to_html",
    "to_json",
]
