"""A document shown as HTML with one verbatim quote marked in place (`<mark>`), text escaped."""

from __future__ import annotations

import html
import re

DOCUMENT_STYLE = (
    "white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.85rem; "
    "max-height: 28rem; overflow-y: auto; border: 1px solid #ddd; padding: 0.75rem; "
    "border-radius: 0.4rem"
)


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text`: exact first, then ignoring runs of whitespace; else None."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def highlighted_html(text: str, quote: str | list[str] | None) -> str:
    """The document as escaped HTML, each quote found wrapped in <mark> (the first one with
    id="quote"); overlapping quotes are marked once."""
    quotes = [quote] if isinstance(quote, str) else list(quote or [])
    spans = sorted(s for q in quotes if q for s in [quote_span(text, q)] if s is not None)
    body, at, first = "", 0, True
    for start, end in spans:
        if start < at:
            continue
        mark = '<mark id="quote">' if first else "<mark>"
        body += html.escape(text[at:start]) + mark + html.escape(text[start:end]) + "</mark>"
        at, first = end, False
    body += html.escape(text[at:])
    return f'<div class="case-document" style="{DOCUMENT_STYLE}">{body}</div>'
