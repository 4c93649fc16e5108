"""Neutralising text from outside (app and people's names, notes, summaries, labels) for the
format it goes into. Our own words and links are never passed through these.

- `one_line`: plain text (a mail subject, a chat preview title, a plain-text row): whitespace
  and line breaks collapse to single spaces, so a value cannot start a new line or a header.
- `md_text`: DingTalk markdown (and actionCard text): one line, and nothing a markdown or HTML
  renderer would act on. Markdown metacharacters become look-alike characters rather than
  backslash escapes (DingTalk's renderer does not reliably honour backslashes), `<`/`>` become
  ‹ › (DingTalk renders some HTML), and a bare URL is broken with a zero-width space after its
  scheme's colon (and after "www") so the client does not turn it into a link.

Parentheses are left alone: they only act in `[text](url)` and `![alt](url)`, and brackets and
`!` never survive, so "HTTP 502 (Bad Gateway)" stays readable.
"""

from __future__ import annotations

import re
from typing import Final

ZWSP: Final = "\u200b"

_MD_CHARS: Final = str.maketrans({
    "[": "［", "]": "］", "!": "！", "#": "＃", "*": "＊", "_": "＿", "`": "ˋ",
    "|": "｜", "~": "～", "\\": "＼", "<": "‹", ">": "›",
})
# scheme://... and www. are what chat clients autolink.
_URL_RE: Final = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*:)(//)|(\bwww)(\.)")
# What makes a line a list item or a quote when it starts it.
_LEADING_RE: Final = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def one_line(value: object) -> str:
    """`value` as one line of plain text (every run of whitespace, line breaks included,
    becomes one space)."""
    return " ".join(str(value).split())


def break_urls(text: str) -> str:
    """'http://x' -> 'http:\u200b//x', 'www.x' -> 'www\u200b.x': readable, not a link."""
    return _URL_RE.sub(
        lambda m: f"{m[1]}{ZWSP}{m[2]}" if m[1] else f"{m[3]}{ZWSP}{m[4]}", text)


def md_text(value: object) -> str:
    """`value` as inert DingTalk markdown text: one line, no links, images, headings, HTML,
    emphasis, code, tables or list markers from data."""
    text = one_line(value).translate(_MD_CHARS)
    text = _LEADING_RE.sub(
        lambda m: {"-": "－", "+": "＋", "=": "＝"}[m[1]] if m[1] else f"{m[2]}{ZWSP}{m[3]}",
        text)
    return break_urls(text)
