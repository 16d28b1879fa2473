"""``{% load safepath_text %}``: ``{{ child.given_name|bidi_safe }}`` shows a name without the
bidirectional controls that could make it display as something else (``core/text.py``);
``{{ note|markdown }}`` renders Markdown safely (``core/markdown.py``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from safepath.core.markdown import render_markdown
from safepath.core.text import strip_bidi_controls

register = template.Library()


@register.filter(name="bidi_safe")
def name_filter(value: Any) -> Any:
    """A name (or a list of names) as it may be shown; anything else unchanged."""
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, list | tuple):
        return [strip_bidi_controls(v) if isinstance(v, str) else v for v in value]
    return value


@register.filter(name="markdown")
def markdown_filter(value: Any) -> SafeString:
    """Markdown as safe HTML: raw HTML escaped, unsafe links dropped (``core/markdown.py``)."""
    return render_markdown(str(value or ""))
