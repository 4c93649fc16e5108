"""The app inventory audit (应用清单治理): for every app on the workbench, what its record lacks,
which apps it duplicates, whether it is reachable, and whether it is a zombie (僵尸), low-
frequency (低频) or low-availability (低可用) app by DOMAIN.md's thresholds, with the evidence,
the trend and a suggested rectification due before the quarterly notice (季度通报).

`build_audit` reads once into frozen data (model.py); JSON, HTML and XLSX are views of it.
"""

from monitor.governance.inventory.audit import build_audit
from monitor.governance.inventory.html import render_html
from monitor.governance.inventory.jsonview import to_json
from monitor.governance.inventory.model import Audit
from monitor.governance.inventory.xlsx import to_xlsx

__all__ = ["Audit", "build_audit", "render_html", "to_json", "to_xlsx"]
