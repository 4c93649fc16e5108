"""The evaluation as JSON (for scripts) and as a one-page HTML report (for people)."""

from __future__ import annotations

from typing import Any

from monitor.governance.evaluate.model import Evaluation
from monitor.governance.evaluate.texts import t
from monitor.templating import environment

RULE_KEYS = ("rules.verdict_fail", "rules.verdict_conditional", "rules.verdict_pass",
             "rules.score", "rules.thresholds")


def to_json(ev: Evaluation) -> dict[str, Any]:
    """The contract shape (target, evaluated_at, verdict, score, dimensions, reasons) plus
    labels in the evaluation's language and the figures behind each item."""
    lang = ev.lang
    return {
        "target": ev.target,
        "https_url": ev.https_url,
        "app": {"id": ev.app_id, "name": ev.app_name} if ev.app_id else None,
        "evaluated_at": ev.evaluated_at,
        "language": lang,
        "verdict": ev.verdict,
        "verdict_label": t(lang, f"verdict.{ev.verdict}"),
        "score": ev.score,
        "dimensions": [
            {
                "name": dim.name,
                "title": t(lang, f"dim.{dim.name}"),
                "score": dim.score,
                "status": dim.status,
                "source": dim.source,
                "checks": [
                    {"id": c.id, "title": t(lang, f"title.{c.id}"), "status": c.status,
                     "detail": c.detail, "blocking": c.blocking, "data": dict(c.data)}
                    for c in dim.checks
                ],
            }
            for dim in ev.dimensions
        ],
        "reasons": list(ev.reasons),
        "notes": list(ev.notes),
        "rules": [t(lang, key) for key in RULE_KEYS],
    }




def to_html(ev: Evaluation) -> str:
    template = environment().get_template("evaluate.html")

    def label(key: str, **values: object) -> str:
        return t(ev.lang, key, **values)

    return template.render(ev=ev, t=label, rules=[label(key) for key in RULE_KEYS],
                           html_lang="zh-CN" if ev.lang != "en" else "en")
