"""Markdown shown on pages (a release's methodology note), rendered safely.

CommonMark through markdown-it-py with raw HTML switched off: a ``<script>`` or ``<img
onerror>`` in the text comes out escaped, as text; links with ``javascript:``, ``vbscript:``,
``file:`` or ``data:`` addresses are not made into links (markdown-it's validateLink). Tables
(GFM pipe tables) are on. Headings are moved down (``# Title`` becomes ``<h3>`` with the default
offset) so that the note sits under the page's own headings.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.enable("table")


def render_markdown(text: str, *, heading_offset: int = 2) -> SafeString:
    """``text`` as HTML that is safe to put in a page (raw HTML escaped, unsafe links dropped)."""
    tokens = _PARSER.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + heading_offset)
            token.tag = f"h{level}"
    html: str = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return mark_safe(html)  # noqa: S308 - markdown-it escapes every raw HTML and attribute value
