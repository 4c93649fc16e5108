"""The languages people read the service in: zh-CN (the default) and English."""

from __future__ import annotations

from typing import Final

ZH: Final = "zh-CN"
EN: Final = "en"
LANGS: Final = (ZH, EN)
