"""A document shown as HTML with verbatim quotes marked in place (`<mark>`), text escaped, and a
link that scrolls to the first one; quotes widened to whole sentences for display."""

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


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
MAX_SENTENCE_CHARS = 600


def whole_sentence(text: str, quote: str) -> str:
    """The quote widened to the sentence (or line) it sits in, so no quote is shown cut
    mid-sentence; the quote itself when it is not found or the sentence is very long."""
    span = quote_span(text, quote)
    if span is None:
        return quote
    start, end = span
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    stop = _SENTENCE_END.search(text, max(end - 1, start))
    if stop is None:
        right = len(text)
    else:
        right = stop.start() if text[stop.start()] == "\n" else stop.end()
    widened = text[left:right].strip().lstrip("-*• ").strip()  # not the list bullet
    return widened if quote.strip() in widened and len(widened) <= MAX_SENTENCE_CHARS else quote


def highlighted_html(text: str, quote: str | list[str] | None, anchor: str = "quote") -> str:
    """The document as escaped HTML, each quote found wrapped in <mark> (the first one with
    id=`anchor` and a link above the document that scrolls to it); overlapping quotes are
    marked once."""
    quotes = [quote] if isinstance(quote, str) else list(quote or [])
    spans = sorted(s for q in quotes if q for s in [quote_span(text, q)] if s is not None)
    body, at, first = "", 0, True
    for start, end in spans:
        if start < at:
            continue
        mark = f'<mark id="{anchor}">' if first else "<mark>"
        body += html.escape(text[at:start]) + mark + html.escape(text[start:end]) + "</mark>"
        at, first = end, False
    body += html.escape(text[at:])
    link = (
        ""
        if first
        else f'<p><a class="to-quote" href="#{anchor}">Scroll to the highlighted quote</a></p>'
    )
    return f'{link}<div class="case-document" style="{DOCUMENT_STYLE}">{body}</div>'
