"""Reason paragraphs of a letter: a failed or missing criterion, in plain words, tied to the record.

`ReasonWriter` turns one `CriterionResult` into the paragraphs a denial or pend needs: the
specific reason, what the records show (verbatim quotes named by document and date, never an
instruction found in the notes), the criterion with its guideline source and `[passage-id]`, and
what would change the outcome and why.
"""

from __future__ import annotations

import re
from datetime import date

from criteria.fact_values import fact_values
from criteria.facts import Evidence
from criteria.results import CriterionResult
from drafting.context import DeterminationContext
from drafting.letters.text import expand_acronyms, fact_phrase, lower_first, plain_value, us_date
from drafting.lint.rules import comparable, looks_like_instruction, normalize_quote

MAX_QUOTES_PER_CRITERION = 3
MAX_LISTED_ITEMS = 6


def sentence(text: str) -> str:
    """End with a period unless a quote closing the text already ends with punctuation."""
    return text if re.search(r"[.!?]”$", text) else text + "."


def plain(text: str) -> str:
    return expand_acronyms(" ".join(text.split()).replace("**", "")).rstrip(". ")


class ReasonWriter:
    """Writes the reason paragraphs of one letter; remembers every quote it makes."""

    def __init__(self, context: DeterminationContext, today: date) -> None:
        self.case = context.case
        self.passages = context.passages
        self.guideline = context.guideline
        self.today = today
        self.fact_evidence = fact_values(context.facts).evidence
        self.quotes: list[str] = []

    # -------------------------------------------------------------- small phrases

    def source(self, passage_id: str) -> str:
        """'<guideline title>, section <heading path> [id]' (no bracket for unknown ids)."""
        passage = self.passages.get(passage_id)
        name = f"{self.guideline.title} ({self.guideline.publisher})"
        if passage is None:
            return name
        heading = " > ".join(h.replace("*", "") for h in passage.heading_path)
        return f"{name}, section {plain(heading)} [{passage_id}]"

    def quote(self, text: str) -> str:
        cleaned = normalize_quote(text)
        self.quotes.append(cleaned)
        return f"“{cleaned}”"

    def evidence_sentences(self, criterion: CriterionResult) -> list[str]:
        """'Your <document> of <date> states “…”.' for the criterion's evidence (or its facts')."""
        evidence: list[Evidence] = list(criterion.evidence)
        if not evidence:
            evidence = [e for name in criterion.facts for e in self.fact_evidence.get(name, [])]
        sentences: list[str] = []
        seen: set[str] = set()
        for item in evidence:
            key = normalize_quote(item.quote)
            if not key or key in seen or looks_like_instruction(item.quote):
                continue
            seen.add(key)
            name = self._document_name(item.document)
            sentences.append(sentence(f"{name} states {self.quote(key)}"))
            if len(sentences) == MAX_QUOTES_PER_CRITERION:
                break
        if sentences:
            return sentences
        for name, value in criterion.facts.items():
            said = plain_value(value)
            if said is not None:
                where = (
                    "The request lists"
                    if name.startswith(("line.", "request."))
                    else ("The records document")
                )
                sentences.append(f"{where} {fact_phrase(name)}: {said}.")
        return sentences

    def _document_name(self, index: int) -> str:
        if not 0 <= index < len(self.case.documents):
            return "The record"
        document = self.case.documents[index]
        when = f" of {us_date(document.date)}" if document.date else ""
        return f"Your {lower_first(plain(document.title))}{when}"

    def criterion_source(self, criterion: CriterionResult) -> str:
        source = self.source(criterion.passage)
        text = f"Criterion relied on: {plain(criterion.title)}. Source: {source}."
        quote = criterion.quote.strip()
        if quote:
            items = self.listed_after(quote, criterion.passage) if quote.endswith(":") else []
            if items:  # a lead-in ("... ANY of the following:"): quote the rule with its list
                listed = "; ".join(self.quote(item) for item in items)
                text += f" The guideline states: {self.quote(quote)} {listed}."
            elif not quote.endswith(":"):
                text += " " + sentence(f"The guideline states: {self.quote(quote)}")
        return text

    def listed_after(self, lead_in: str, passage_id: str) -> list[str]:
        """The list items that follow a lead-in sentence in its passage (one level deeper)."""
        passage = self.passages.get(passage_id)
        if passage is None:
            return []
        lines = passage.text.splitlines()
        wanted = comparable(lead_in).rstrip(":")[-60:]
        start = next((i for i, ln in enumerate(lines) if wanted in comparable(ln)), None)
        if start is None:
            return []
        indent = len(lines[start]) - len(lines[start].lstrip())
        items: list[str] = []
        for line in lines[start + 1 :]:
            if not line.strip():
                if items:
                    break
                continue
            depth = len(line) - len(line.lstrip())
            bullet = re.match(r"\s*(?:[-*+]|\d+[.)])\s+(.*)", line)
            if (
                bullet is None
                or depth < indent
                or (depth == indent and lines[start].lstrip()[:1] in "-*+")
            ):
                break
            items.append(bullet.group(1).strip())
        return items[:MAX_LISTED_ITEMS]

    # -------------------------------------------------------------- reasons

    def denial_reason(self, criterion: CriterionResult) -> list[str]:
        title = plain(criterion.title)
        if criterion.kind == "exclusion":
            statement = f"the guideline excludes this service in this situation: {title}. "
            statement += "The records show that it applies here."
            change = "records showing that this situation does not apply to the member"
        elif criterion.kind == "contraindication":
            statement = f"the guideline lists this as a reason not to do the procedure: {title}. "
            statement += "The records show that it applies here."
            change = "records showing that this condition does not apply to the member"
        elif criterion.kind == "limit":
            statement = f"the request goes beyond this limit in the guideline: {title}."
            change = "a request within this limit"
        else:
            statement = "the guideline requires this, and the records sent show that it is not "
            statement += f"met: {title}."
            change = "records showing that this requirement is met"
        if criterion.missing_info:
            change = lower_first(plain(criterion.missing_info))
        shown = self.evidence_sentences(criterion) or ["The request itself shows it."]
        return [
            f"- Reason: {statement}",
            "What the records show: " + " ".join(shown),
            self.criterion_source(criterion),
            f"What could change this decision: {change}.",
        ]

    def pend_item(self, criterion: CriterionResult) -> list[str]:
        title = plain(criterion.title)
        missing = "; ".join(fact_phrase(name) for name in criterion.missing)
        missing = f": {missing}" if missing else ""
        if criterion.status == "not_met":  # documented, but the guideline asks for evaluation
            need = criterion.missing_info or "documentation of the further evaluation it asks for"
            why = f"the records show this condition: {title}, and the guideline asks that it be "
            why += "evaluated further before this procedure is considered"
            shown = " ".join(self.evidence_sentences(criterion))
            why += f". {shown}" if shown else ""
        else:
            need = criterion.missing_info or f"records that document this: {title}"
            why = f"the guideline requires this for the service ({title}), and we did not find "
            why += f"it in the records sent{missing}"
        return [
            f"- Needed: {lower_first(plain(need))}.",
            sentence(f"Why it is needed: {why.rstrip('.')}"),
            self.criterion_source(criterion),
        ]
