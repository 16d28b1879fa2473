"""Markdown on pages is rendered safely; dates read the same way on every page, per language."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from safepath.core.dates import day, moment
from safepath.core.markdown import render_markdown


def test_markdown_renders_structure_with_headings_moved_under_the_page() -> None:
    html = render_markdown("# Title\n\n## Source\n\n- k = 11\n- epsilon = 1.0\n\n*Zeros* shown.")
    assert "<h3>Title</h3>" in html
    assert "<h4>Source</h4>" in html
    assert "<li>k = 11</li>" in html
    assert "<em>Zeros</em>" in html
    assert "#" not in html


def test_markdown_escapes_raw_html_and_drops_unsafe_links() -> None:
    html = render_markdown(
        'A filter <script>alert(1)</script> and <img src=x onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[ok](https://example.org/a)"
    )
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert 'href="data:' not in html
    assert '<a href="https://example.org/a">ok</a>' in html


def test_markdown_filter_in_a_template() -> None:
    out = Template("{% load safepath_text %}{{ note|markdown }}").render(
        Context({"note": "**bold** <b>raw</b>"})
    )
    assert out.strip() == "<p><strong>bold</strong> &lt;b&gt;raw&lt;/b&gt;</p>"


def test_one_date_format_per_language() -> None:
    when = dt.datetime(2026, 12, 7, 14, 5, tzinfo=dt.UTC)
    shown = {}
    for language in ("en", "fr", "es", "ar"):
        with translation.override(language):
            shown[language] = (day(when.date()), day(when), moment(when))
    assert shown["en"] == ("7 Dec 2026", "7 Dec 2026", "7 Dec 2026, 14:05")
    assert shown["fr"][0] == "7 déc. 2026"
    assert shown["es"][0] == "7 dic. 2026"
    assert shown["ar"][0] == "7 ديسمبر 2026"
    assert moment(None) == day(None) == ""
    assert moment(when.date()) == day(when.date())  # a bare date has no time to show


def test_date_filters_in_a_template() -> None:
    out = Template("{% load safepath_dates %}{{ d|day }} | {{ t|moment }} | {{ n|day }}").render(
        Context({"d": dt.date(2025, 3, 1), "t": dt.datetime(2025, 3, 1, 23, 10, tzinfo=dt.UTC)})
    )
    assert out == "1 Mar 2025 | 1 Mar 2025, 23:10 | "
