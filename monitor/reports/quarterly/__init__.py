"""The quarterly watch report (季度通报预警): the listed apps the province's quarterly notice would
name, by class, with their monthly evidence, rectification items and the days left.

Built once into frozen data (`build_quarterly`, from the inventory audit and the listing
store); the JSON (jsonview.py) and the HTML/PDF page (view.py) are views of it; schedule.py
writes and mails it on the 1st of each quarter's last month.
"""

from monitor.reports.quarterly.build import (
    QuarterNotStartedError,
    build_quarterly,
    resolve_quarter,
)
from monitor.reports.quarterly.jsonview import to_json
from monitor.reports.quarterly.model import QuarterlyReport
from monitor.reports.quarterly.period import Quarter, QuarterError

__all__ = [
    "Quarter",
    "QuarterError",
    "QuarterNotStartedError",
    "QuarterlyReport",
    "build_quarterly",
    "resolve_quarter",
    "to_json",
]
