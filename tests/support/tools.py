"""Finding the real external tools and servers tests use (promtool, victoria-metrics, ...).

`./dev.sh test` installs them. Run by hand without them, a test is skipped with the reason;
under CI=true a missing tool is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (./dev.sh test installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
