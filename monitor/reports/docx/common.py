"""The pieces every Word report is made of: an A4 document with Chinese fonts, headings,
paragraphs, tables with a header row, pictures and numbered lists.

Text from outside (app names, notes, summaries) is written as plain text runs: never as a
field, a hyperlink or markup, so nothing in the data can act inside Word or WPS. Characters
XML 1.0 cannot hold (control codes) are dropped instead of failing the whole document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Final

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from monitor.core.i18n import EN
from monitor.reports.docx.raster import svg_to_png

# Fonts by the names Word and WPS know on every Chinese Windows (宋体 and 黑体); LibreOffice
# falls back to an installed CJK face (Noto CJK) for the Chinese text.
BODY_EAST_ASIA: Final = "SimSun"
HEADING_EAST_ASIA: Final = "SimHei"
BODY_LATIN: Final = "Times New Roman"
HEADING_LATIN: Final = "Arial"
BODY_PT: Final = 10.5  # 五号, the usual size of a Chinese report's body text
TABLE_PT: Final = 9.0
HEADING_PT: Final = {"Title": 22.0, "Heading 1": 16.0, "Heading 2": 14.0, "Heading 3": 12.0}
INK: Final = RGBColor(0x1F, 0x29, 0x37)
# A4 portrait with margins close to GB/T 9704 (official documents), a little narrower at the
# sides to give the tables room.
PAGE_W_MM: Final = 210
PAGE_H_MM: Final = 297
MARGIN_TOP_MM: Final = 25
MARGIN_BOTTOM_MM: Final = 25
MARGIN_SIDE_MM: Final = 22
PICTURE_W_MM: Final = 160  # charts: the text width of a portrait page, a little less
# What XML 1.0 cannot carry: control characters other than tab, line feed and carriage return.
_NOT_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Column widths: a column gets a share of the text width by its longest text, counted in Latin
# characters within these bounds, read from the header and the first rows.
MIN_COLUMN_CHARS: Final = 6
MAX_COLUMN_CHARS: Final = 40
WIDTH_SAMPLE_ROWS: Final = 200
WIDE_FROM: Final = 0x2E80  # CJK and full-width forms take two columns
_THEME_FONTS: Final = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def clean(text: object) -> str:
    """Any value as text a document can hold."""
    return _NOT_XML.sub("", str(text))


def _fonts(style: ParagraphStyle, latin: str, east_asia: str, size_pt: float,
           *, bold: bool | None = None) -> None:
    style.font.name = latin
    style.font.size = Pt(size_pt)
    style.font.color.rgb = INK
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in _THEME_FONTS:  # a theme font would win over the names set here
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _language(style: ParagraphStyle, lang: str) -> None:
    """The spelling language Word checks the text in."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), "en-US")
    tag.set(qn("w:eastAsia"), "en-US" if lang == EN else "zh-CN")
    rpr.append(tag)


def new_document(lang: str, title: str) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin = section.right_margin = Mm(MARGIN_SIDE_MM)
    styles = doc.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _fonts(normal, BODY_LATIN, BODY_EAST_ASIA, BODY_PT)
    _language(normal, lang)
    for name, size in HEADING_PT.items():
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        _fonts(style, HEADING_LATIN, HEADING_EAST_ASIA, size, bold=True)
    for name in ("Caption", "List Number", "List Bullet"):
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        _fonts(style, BODY_LATIN, BODY_EAST_ASIA, BODY_PT if name != "Caption" else TABLE_PT)
    doc.core_properties.title = clean(title)
    doc.core_properties.language = "en-US" if lang == EN else "zh-CN"
    return doc


def heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    """A real Word heading (style Title, Heading 1, 2, 3): it shows in the navigation pane."""
    paragraph: Paragraph = doc.add_heading(clean(text), level)
    return paragraph


def para(doc: DocumentObject, text: str, *, small: bool = False,
         centre: bool = False) -> Paragraph:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(clean(text))
    if small:
        run.font.size = Pt(TABLE_PT)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _fresh_numbering(doc: DocumentObject) -> int:
    """A numbering instance of the List Number style's list that starts again at 1: without
    one, every numbered list of the document would continue the previous one's count."""
    style = doc.styles["List Number"]
    num_id = style.element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def numbered(doc: DocumentObject, items: Iterable[str]) -> None:
    """A numbered list (style List Number) counting from 1."""
    num_id: int | None = None
    for item in items:
        paragraph = doc.add_paragraph(clean(item), style="List Number")
        num_id = _fresh_numbering(doc) if num_id is None else num_id
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id


def bulleted(doc: DocumentObject, items: Iterable[str]) -> None:
    for item in items:
        doc.add_paragraph(clean(item), style="List Bullet")


def _repeat_header(table: Table) -> None:
    """The header row is repeated at the top of every page the table runs onto."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    tr_pr.append(marker)


def _fill_row(cells: Sequence[_Cell], values: Sequence[str], widths: Sequence[Length],
              numeric: frozenset[int], *, bold: bool = False) -> None:
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = widths[index]  # Word reads the cells' widths, LibreOffice the grid's
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(clean(value))
        run.font.size = Pt(TABLE_PT)
        if bold:
            run.bold = True
        if index in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _text_width(doc: DocumentObject) -> int:
    section = doc.sections[-1]
    return int((section.page_width or Mm(PAGE_W_MM)) - (section.left_margin or 0)
               - (section.right_margin or 0))


def _weight(text: str) -> int:
    """How wide a text is, in Latin characters: a Chinese character counts two."""
    longest = max((len(line) + sum(1 for ch in line if ord(ch) > WIDE_FROM)
                   for line in text.split("\n")), default=0)
    return min(max(longest, MIN_COLUMN_CHARS), MAX_COLUMN_CHARS)


def _widths(doc: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[str]]
            ) -> list[Length]:
    """Column widths sharing the text width in proportion to what the columns hold (the
    longest line of each, within bounds), so a name column is wide and a count narrow."""
    weights = [_weight(text) for text in header]
    for values in rows[:WIDTH_SAMPLE_ROWS]:
        weights = [max(w, _weight(v)) for w, v in zip(weights, values, strict=True)]
    total, whole = sum(weights), _text_width(doc)
    return [Emu(whole * w // total) for w in weights]


def table(doc: DocumentObject, header: Sequence[str], rows: Iterable[Sequence[str]],
          *, numeric: Iterable[int] = ()) -> Table:
    """A grid table whose first row is its header (bold, repeated on every page); `numeric`
    columns are right-aligned."""
    right = frozenset(numeric)
    body = [list(values) for values in rows]
    widths = _widths(doc, header, body)
    grid: Table = doc.add_table(rows=1, cols=len(header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    _fill_row(grid.rows[0].cells, header, widths, right, bold=True)
    _repeat_header(grid)
    for values in body:
        row = grid.add_row()  # type: ignore[no-untyped-call]  # unannotated in python-docx
        _fill_row(row.cells, values, widths, right)
    doc.add_paragraph()  # Word joins two tables that touch: keep one line between them
    return grid


def pairs(doc: DocumentObject, header: Sequence[str], items: Iterable[tuple[str, str]]
          ) -> Table:
    """A two-column table of label and value (basic information, evidence)."""
    return table(doc, header, [list(item) for item in items])


def picture(doc: DocumentObject, svg_markup: object, caption: str) -> None:
    """A chart's SVG as an inline PNG picture with its caption beneath."""
    doc.add_picture(io.BytesIO(svg_to_png(str(svg_markup))), width=Mm(PICTURE_W_MM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(clean(caption), style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def landscape(doc: DocumentObject, wide: bool) -> None:
    """Start a new page in landscape (`wide`) or back in portrait, same margins."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
    section.page_width, section.page_height = ((long_side, short_side) if wide
                                               else (short_side, long_side))


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
