"""A response body as text, decoded the way a browser decodes it (WHATWG Encoding).

Order, as browsers apply it: a byte-order mark wins; then the charset of the Content-Type
header; then, for HTML, a `<meta charset>` or `http-equiv` declaration in the first 1024
bytes; else UTF-8. Labels are looked up in the WHATWG table (`webencodings`), so `gb2312`,
`x-gbk` or `latin1` mean what they mean in a browser, and the GBK family decodes as GB18030:
an old page labelled gb2312 that uses a GBK-only character (王喆) must still read right.
"""

from __future__ import annotations

import re
from typing import Final

import webencodings

# How far browsers look for a <meta> charset declaration (the WHATWG "prescan" limit).
META_PRESCAN_BYTES: Final = 1024
_BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">:
# both carry "charset=" inside a <meta ...> tag, which is all the prescan needs to find.
_META: Final = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
# Python codec names for the WHATWG encodings whose Python namesake decodes differently.
_BROWSER_CODECS: Final = {
    "gbk": "gb18030",  # WHATWG's GBK decoder is the GB18030 decoder
    "gb18030": "gb18030",
    "big5": "big5hkscs",  # WHATWG's Big5 includes the HKSCS extension
}


def decode_body(body: bytes, content_type: str | None) -> str:
    """`body` as text; bytes that are invalid in the chosen encoding become U+FFFD."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    codec = body_codec(body, content_type)
    return body.decode(codec, errors="replace")


def body_codec(body: bytes, content_type: str | None) -> str:
    """The Python codec a browser's choice of encoding corresponds to."""
    media_type, label = parse_content_type(content_type)
    codec = codec_for_label(label) if label else None
    if codec is None and media_type in ("text/html", "application/xhtml+xml", ""):
        match = _META.search(body, 0, META_PRESCAN_BYTES)
        if match is not None:
            codec = codec_for_label(match.group(1).decode("ascii"))
            # A page that says it is UTF-16 in ASCII bytes is not UTF-16 (WHATWG rule).
            if codec is not None and codec.startswith("utf-16"):
                codec = "utf-8"
    return codec or "utf-8"


def codec_for_label(label: str) -> str | None:
    """The Python codec for a WHATWG encoding label; None for a label browsers do not know."""
    encoding = webencodings.lookup(label.strip())
    if encoding is None:
        return None
    return _BROWSER_CODECS.get(encoding.name, encoding.codec_info.name)


def parse_content_type(content_type: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset label or None) of a Content-Type value."""
    if not content_type:
        return "", None
    media_type, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset
