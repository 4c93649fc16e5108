"""The report's SVG charts as PNG pictures for Word, drawn with Pillow.

The charts are the very SVG the HTML and PDF pages show (monitor.reports.charts,
incident.minutecharts), so the Word document cannot drift from them. Those charts use a small,
fixed part of SVG 1.1 on purpose (rect, line with an optional dash, polyline, circle, text with
presentation attributes, no transforms, no CSS), and that is all this draws. Pillow is already
here as WeasyPrint's dependency; cairosvg would need a new package and the system's cairo.

Text takes a Noto CJK font when fonts-noto-cjk is installed (as for the PDFs), else Pillow's
built-in face, which has no Chinese glyphs but keeps the figures readable.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import Image, ImageColor, ImageDraw, ImageFont

# Pixels per SVG unit: a 680-unit chart becomes 2,040 px, sharp when printed 16 cm wide.
SCALE: Final = 3
# Where Debian's fonts-noto-cjk puts the faces (and a few other common places).
FONT_FILES: Final = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
FACES_IN_COLLECTION: Final = 10  # a .ttc holds JP, KR, SC, TC, HK... faces: SC is looked for
WHITE: Final = "#ffffff"
_NS: Final = "{http://www.w3.org/2000/svg}"
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class ChartError(ValueError):
    """The markup is not one of the report's charts."""


@lru_cache(maxsize=1)
def _font_file() -> tuple[str, int] | None:
    """(path, face index) of a Simplified Chinese Noto face, if installed."""
    for name in FONT_FILES:
        if not Path(name).is_file():
            continue
        for index in range(FACES_IN_COLLECTION):
            try:
                face = ImageFont.truetype(name, 10, index=index)
            except OSError:
                break
            if " SC" in " ".join(str(part) for part in face.getname()):
                return name, index
        return name, 0
    return None


@lru_cache(maxsize=32)
def font(size_px: int) -> Font:
    found = _font_file()
    if found is None:
        return ImageFont.load_default(size_px)
    return ImageFont.truetype(found[0], size_px, index=found[1])


def _number(element: ET.Element, name: str, default: float = 0.0) -> float:
    value = element.get(name)
    try:
        return default if value is None else float(value)
    except ValueError as exc:
        raise ChartError(f"{name}={value!r} is not a number") from exc


def _colour(value: str | None) -> tuple[int, int, int] | None:
    if value is None or value == "none":
        return None
    try:
        rgb = ImageColor.getrgb(value)
    except ValueError as exc:
        raise ChartError(f"colour {value!r}") from exc
    return rgb[0], rgb[1], rgb[2]


def _dashes(start: tuple[float, float], end: tuple[float, float], pattern: list[float]
            ) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The drawn pieces of a dashed segment."""
    length = math.dist(start, end)
    if length == 0 or not pattern or sum(pattern) <= 0:
        yield start, end
        return
    dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    at, index = 0.0, 0
    while at < length:
        step = pattern[index % len(pattern)]
        if index % 2 == 0:
            stop = min(at + step, length)
            yield ((start[0] + dx * at, start[1] + dy * at),
                   (start[0] + dx * stop, start[1] + dy * stop))
        at += step
        index += 1


def _width(element: ET.Element) -> int:
    return max(1, round(_number(element, "stroke-width", 1.0) * SCALE))


def _line(draw: ImageDraw.ImageDraw, element: ET.Element) -> None:
    colour = _colour(element.get("stroke"))
    if colour is None:
        return
    start = (_number(element, "x1") * SCALE, _number(element, "y1") * SCALE)
    end = (_number(element, "x2") * SCALE, _number(element, "y2") * SCALE)
    dash = element.get("stroke-dasharray")
    pattern = [float(p) * SCALE for p in dash.replace(",", " ").split()] if dash else []
    for a, b in _dashes(start, end, pattern):
        draw.line([a, b], fill=colour, width=_width(element))


def _text(draw: ImageDraw.ImageDraw, element: ET.Element) -> None:
    content = "".join(element.itertext()).strip()
    if not content:
        return
    anchor = {"start": "ls", "end": "rs"}.get(element.get("text-anchor", "start"), "ms")
    size = round(_number(element, "font-size", 9.0) * SCALE)
    draw.text((_number(element, "x") * SCALE, _number(element, "y") * SCALE), content,
              fill=_colour(element.get("fill")) or (0, 0, 0), font=font(size), anchor=anchor)


def _shape(draw: ImageDraw.ImageDraw, element: ET.Element) -> None:
    tag = element.tag.removeprefix(_NS)
    if tag == "rect":
        x, y = _number(element, "x") * SCALE, _number(element, "y") * SCALE
        w, h = _number(element, "width") * SCALE, _number(element, "height") * SCALE
        if (fill := _colour(element.get("fill", "#000000"))) is not None and w > 0 and h > 0:
            draw.rectangle([x, y, x + max(w, 1), y + max(h, 1)], fill=fill)
    elif tag == "line":
        _line(draw, element)
    elif tag == "polyline":
        raw = element.get("points", "").replace(",", " ").split()
        points = [(float(raw[i]) * SCALE, float(raw[i + 1]) * SCALE)
                  for i in range(0, len(raw) - 1, 2)]
        if len(points) > 1 and (colour := _colour(element.get("stroke"))) is not None:
            draw.line(points, fill=colour, width=_width(element), joint="curve")
    elif tag == "circle":
        cx, cy = _number(element, "cx") * SCALE, _number(element, "cy") * SCALE
        r = _number(element, "r") * SCALE
        if (fill := _colour(element.get("fill", "#000000"))) is not None:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif tag == "text":
        _text(draw, element)


def svg_to_png(markup: str) -> bytes:
    """One chart's <svg> as a PNG of its viewBox size times SCALE, on white."""
    try:
        # Our own markup (charts.py escapes every value and writes no DTD): nothing to expand.
        root = ET.fromstring(markup)  # noqa: S314
    except ET.ParseError as exc:
        raise ChartError(f"not SVG: {exc}") from exc
    if root.tag.removeprefix(_NS) != "svg":
        raise ChartError(f"root is <{root.tag}>, not <svg>")
    width, height = _number(root, "width"), _number(root, "height")
    if width <= 0 or height <= 0:
        raise ChartError("the chart has no size")
    image = Image.new("RGB", (math.ceil(width * SCALE), math.ceil(height * SCALE)), WHITE)
    draw = ImageDraw.Draw(image)
    for element in root:
        _shape(draw, element)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
