"""The one Jinja2 environment of monitor/templates (the console's base, the acknowledge page, the
evaluation and inventory documents) and of the console pages' templates beside their views.
The reports have their own, rooted at templates/reports.

.html is autoescaped: names, messages, URLs and headers come from configs, probes and people,
never markup. .css is included verbatim into <style>. A misspelt field fails loudly
(StrictUndefined) instead of rendering as a blank.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        # Shared templates, then each console page's own, kept beside its view
        # (monitor/console/pages/<page>/<name>.html is "<page>/<name>.html").
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("monitor", "templates"),
                                    jinja2.PackageLoader("monitor", "console/pages")]),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
