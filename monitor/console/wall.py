"""Console page module: wall (being built)."""

from __future__ import annotations

from typing import Final

from aiohttp import web

ROUTES: Final[list[web.RouteDef]] = []
