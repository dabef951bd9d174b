"""Small tables rendered as Markdown (no pyarrow: st.dataframe needs pyarrow, whose current
wheels require NumPy 2 while spaCy 3.7 pins this project to NumPy 1.x)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from drafting.letters.export import escape_markdown


def md(value: Any) -> str:
    """Record or reviewer text for st.markdown / st.caption / st.warning: shown as itself."""
    return escape_markdown("" if value is None else str(value))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return escape_markdown(" ".join(text.split()))


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of `rows` (columns: given, else the first row's keys)."""
    if not rows:
        return ""
    names = list(columns or rows[0].keys())
    out = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    out += ["| " + " | ".join(_cell(row.get(name)) for name in names) + " |" for row in rows]
    return "\n".join(out)
