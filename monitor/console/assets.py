"""Where the console's CSS and JS live (served as /static/console/...)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static" / "console"
