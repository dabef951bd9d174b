"""Gold determination letters, rendered from the gold labels (never from the engine's output).

For every gold case (`eval/gold/cases/<id>.json` with `eval/gold/labels/<id>.yaml`) this writes
`eval/gold/letters/<id>.json` = ``{"case_id", "text", "passages", "decisions"}`` and `<id>.md`.
Each letter states the GOLD decision of every requested line; the reasons are the adjudicator's
record-specific `why`s put in plain words; each deciding criterion is quoted verbatim from the
guideline with the passage it sits in (found by matching the label's quote against
`guideline_corpus.chunking.load_passages()`, compared with `eval.text.comparable`, preferring the
label's section and block). The words, the standing notices (pend deadline, criteria free on
request, peer-to-peer, appeal rights with time limits and the expedited route) and the layout are
eval's own (`eval.gold.render`, `letter_words.json`): no drafting code renders a gold letter.
Letter date = the case's received date. Same labels, same letters: re-run after any label edit with

    python -m eval.gold.build_letters            # all cases
    python -m eval.gold.build_letters G05 G24    # some cases
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from criteria.results import Decision as Outcome
from eval.gold.letter_prose import plain_prose, plain_reason
from eval.gold.render import Row as TableRow
from eval.gold.render import Section as LetterSection
from eval.gold.render import (
    abbreviations,
    authorization_number,
    authorization_terms,
    closing_sections,
    code_description,
    expand_acronyms,
    render,
    units_text,
    us_date,
)
from eval.gold_set import DEFAULT_GOLD_DIR, Case, GoldCase, ServiceLine, load_gold
from eval.text import comparable
from guideline_corpus.chunking import load_passages
from guideline_corpus.corpus import Manifest, load_corpus
from guideline_corpus.passages import Passage

FAILING: dict[Outcome, tuple[str, ...]] = {
    "denied": ("excluded", "not_met"),
    "pended": ("not_documented",),
    "approved": (),
}
GUIDELINE_MARK = "The guideline says"  # every guideline quote follows this phrase
_SEX_WORDS = {"M": "male", "F": "female"}


class GoldLetterError(ValueError):
    """A label cannot be turned into a letter; fix the label (its quote, code or decision)."""


class GoldLetterFile(BaseModel):
    """What `eval/gold/letters/<id>.json` holds."""

    case_id: str
    text: str
    passages: list[str]
    decisions: dict[str, Outcome]


@dataclass(frozen=True)
class Row:
    """One deciding criterion of a gold line, with the passage its quote sits in."""

    status: str
    quote: str
    why: str
    passage: Passage


@dataclass
class GoldLine:
    """A requested line with its gold decision and deciding rows; add-ons that follow it."""

    index: int
    service: ServiceLine
    decision: Outcome
    rows: list[Row]
    missing: list[str]
    followers: list[GoldLine]

    @property
    def description(self) -> str:
        return code_description(self.service.code, self.service.description)

    @property
    def table_text(self) -> str:
        """The description with levels, side and units, as the table of services shows it."""
        parts = [", ".join(self.service.levels)] if self.service.levels else []
        if self.service.side:
            parts.append(self.service.side)
        parts.append(units_text(self.service.units))
        return f"{self.description} ({'; '.join(parts)})"

    @property
    def service_text(self) -> str:
        return f"{self.service.code} {self.table_text}"


# ---------------------------------------------------------------- label -> rows


def passage_for(row: dict[str, Any], passages: list[Passage]) -> Passage:
    """The passage holding the row's quote: same case first, then its section and block heading."""
    quote = comparable(str(row["quote"]))
    hits = [p for p in passages if quote in comparable(p.text)]
    if not hits:
        raise GoldLetterError(f"quote not found in the guideline passages: {quote[:80]!r}")
    block = str(row.get("block") or "")
    exact = " ".join(str(row["quote"]).replace("*", "").split()).strip("“”\"' ")
    return min(
        hits,
        key=lambda p: (
            exact not in " ".join(p.text.replace("*", "").split()),
            p.section != row.get("section"),
            block not in p.heading_path,
        ),
    )


def is_exclusion(row: Row) -> bool:
    """A row from an Exclusions or Contraindications part of the guideline."""
    return any(re.search(r"exclusion|contraindication", h, re.I) for h in row.passage.heading_path)


def gold_lines(gold: GoldCase, passages: list[Passage]) -> list[GoldLine]:
    """Pair each requested line with its label line (same order and code); group followers."""
    services = gold.case.request.services
    labels = gold.gold_lines
    if [s.code for s in services] != [str(ln["code"]) for ln in labels]:
        raise GoldLetterError(f"{gold.case_id}: label lines do not match the requested codes")
    lines: list[GoldLine] = []
    for index, (service, label) in enumerate(zip(services, labels, strict=True)):
        rows = [
            Row(str(r["status"]), str(r["quote"]), str(r["why"]), passage_for(r, passages))
            for r in label.get("deciding") or []
        ]
        missing = [str(m) for m in label.get("missing") or []]
        line = GoldLine(index, service, label["decision"], rows, missing, [])
        primary = next((p for p in lines if _same_grounds(p, line)), None)
        if primary is not None:
            primary.followers.append(line)
        lines.append(line)
    return lines


def _same_grounds(primary: GoldLine, line: GoldLine) -> bool:
    """An add-on or drug line decided on exactly its primary's rows follows that primary."""
    key = [(r.status, r.quote, r.why) for r in line.rows]
    return primary.decision == line.decision and key == [
        (r.status, r.quote, r.why) for r in primary.rows
    ]


# ---------------------------------------------------------------- plain words


def guideline_quote(row: Row, previous: Row | None) -> str:
    """'The guideline (section “<top>”, under “<heading>”) says: “<verbatim>” [passage-id]'.

    Headings are quoted verbatim too; a row in the same part as the one before names it briefly.
    """
    path = row.passage.heading_path
    top, block = path[0], path[-1]
    if previous is not None and previous.passage.heading_path == path:
        where = f"also under “{block}”"
    elif (previous is not None and previous.passage.heading_path[0] == top) or top == block:
        where = f"under “{block}”" if top != block else f"section “{top}”"
    else:
        where = f"section “{top}”, under “{block}”"
    quote = " ".join(row.quote.replace("**", "").split())  # '**' marks a guideline footnote
    return f"{GUIDELINE_MARK} ({where}): “{quote}” [{row.passage.id}]"


@dataclass(frozen=True)
class Reasons:
    """Writes a row's reason for one case: its record and guideline texts, its codes."""

    sources: list[str]
    codes: dict[str, str]

    def of(self, row: Row) -> str:
        return plain_reason(row.why, self.sources, self.codes)


# ---------------------------------------------------------------- sections


def _summary(case: Case, lines: list[GoldLine]) -> LetterSection:
    who = " ".join(
        w for w in (f"{case.patient.age}-year-old", _SEX_WORDS.get(case.patient.sex)) if w
    )
    diagnoses = "; ".join(
        f"{d.description or 'description not given'} (diagnosis code {d.code})"
        for d in case.request.diagnoses
    )
    records = "; ".join(
        expand_acronyms(d.title) + (f" ({us_date(d.date)})" if d.date else "")
        for d in case.documents
    )
    outcomes = "; ".join(f"{ln.service.code} {ln.description}: {ln.decision}" for ln in lines)
    return LetterSection(
        heading="Summary of the review",
        paragraphs=[
            f"We reviewed the prior authorization request for case {case.case_id}, received "
            f"{us_date(case.received)}, for a {who} member.",
            f"Diagnoses submitted: {diagnoses or 'none'}.",
            f"Records reviewed: {records or 'none were sent'}.",
            f"Outcome of each requested service: {outcomes}.",
        ],
    )


def _criterion_items(rows: list[Row], reasons: Reasons) -> list[str]:
    return [
        f"- {guideline_quote(r, rows[i - 1] if i else None)}. What the records show: "
        f"{reasons.of(r)}."
        for i, r in enumerate(rows)
    ]


def _approval(line: GoldLine, case: Case, reasons: Reasons) -> LetterSection:
    number = authorization_number(case.case_id, line.index, line.service.code)
    paragraphs = [
        f"Requested service: {line.service_text}. Decision: approved. "
        f"Authorization number: {number}.",
    ]
    for follower in line.followers:
        code = follower.service.code
        extra = authorization_number(case.case_id, follower.index, code)
        paragraphs.append(
            f"The related service {follower.service_text} is decided with this one and is also "
            f"approved. Authorization number: {extra}."
        )
    met = [r for r in line.rows if r.status == "met" and not is_exclusion(r)]
    checked = [r for r in line.rows if r.status == "met" and is_exclusion(r)]
    if met:
        paragraphs.append("Why it is approved: the records sent meet each criterion below.")
        paragraphs += _criterion_items(met, reasons)
    if checked:
        paragraphs.append("Exclusions checked; none of them applies to this request:")
        paragraphs += _criterion_items(checked, reasons)
    heading = f"Approved: {line.service.code} {line.description}"
    return LetterSection(heading=heading, paragraphs=paragraphs)


def _failing(line: GoldLine, outcome: Outcome) -> list[Row]:
    """The rows of the line that make this outcome (none for an approval)."""
    return [r for r in line.rows if r.status in FAILING[outcome]]


def _opening(line: GoldLine, outcome: Outcome, why: str, lead: str, reasons: Reasons) -> list[str]:
    """A denied or pended line's opening: outcome, `why`, followers, failing rows under `lead`."""
    return [
        f"Requested service: {line.service_text}. Decision: {outcome}; {why}",
        *(
            f"The related service {f.service_text} is decided with this one and is also {outcome}."
            for f in line.followers
        ),
        lead,
        *_criterion_items(_failing(line, outcome), reasons),
    ]


def _denial(line: GoldLine, reasons: Reasons) -> LetterSection:
    also = [r for r in line.rows if r.status == "not_documented"]
    why = "it is not medically necessary under the guideline for the reasons below."
    paragraphs = _opening(line, "denied", why, "Why it is denied:", reasons)
    if also:
        paragraphs.append(
            "Also not shown in the records (needed even if the reasons above were resolved):"
        )
        paragraphs += _criterion_items(also, reasons)
    heading = f"Denied: {line.service.code} {line.description}"
    return LetterSection(heading=heading, paragraphs=paragraphs)


def _pend(line: GoldLine, reasons: Reasons) -> LetterSection:
    met = [r for r in line.rows if r.status == "met"]
    why = (
        "no decision has been made on this service yet because the records sent do not include "
        "the information below."
    )
    paragraphs = [
        *_opening(line, "pended", why, "What is missing:", reasons),
        "Please send:",
        *[f"- {plain_prose(m).rstrip('.')}." for m in line.missing],
        _why_needed(_failing(line, "pended")),
    ]
    if met:
        paragraphs.append("Already shown in the records sent (no need to send again):")
        paragraphs += [f"- {reasons.of(r)}." for r in met]
    heading = f"Information needed: {line.service.code} {line.description}"
    return LetterSection(heading=heading, paragraphs=paragraphs)


def _why_needed(rows: list[Row]) -> str:
    """Why the pended information is needed: a requirement to show, or a risk to rule out."""
    parts = []
    if any(not is_exclusion(r) for r in rows):
        parts.append(
            "the guideline requires the criteria quoted above to be shown in the records before "
            "this service can be approved, and the records sent do not show them"
        )
    if any(is_exclusion(r) for r in rows):
        parts.append(
            "the guideline lists the condition quoted above as a reason not to perform the "
            "procedure until it has been evaluated, and the records sent do not show that "
            "evaluation"
        )
    return (
        f"Why it is needed: {' ; '.join(parts).replace(' ; ', '; also, ')}. With this "
        "information the request will be reviewed again against the same criteria."
    )


# ---------------------------------------------------------------- the letter


def build_letter(
    gold: GoldCase, passages: list[Passage], guideline: Manifest, guideline_text: str
) -> tuple[GoldLetterFile, str]:
    """The gold letter of one case, from its label alone, and its Markdown rendering."""
    case = gold.case
    lines = gold_lines(gold, passages)
    followers = {id(f) for ln in lines for f in ln.followers}
    primaries = [ln for ln in lines if id(ln) not in followers]
    outcomes = {ln.decision for ln in lines}
    codes = {s.code: code_description(s.code, s.description) for s in case.request.services}
    codes |= {d.code: d.description for d in case.request.diagnoses if d.description}
    sources = [comparable(d.text) for d in case.documents] + [comparable(guideline_text)]
    reasons = Reasons(sources, codes)
    sections = [_summary(case, lines)]
    for line in primaries:
        if line.decision == "approved":
            sections.append(_approval(line, case, reasons))
        elif line.decision == "denied":
            sections.append(_denial(line, reasons))
        else:
            sections.append(_pend(line, reasons))
    if "approved" in outcomes:
        sections.append(
            authorization_terms(
                [ln.service_text for ln in lines if ln.decision == "approved"], case.received
            )
        )
    sections += closing_sections(set[str](outcomes), case.case_id, guideline, case.received)
    body = "\n".join(p for s in sections for p in s.paragraphs)
    glossary = abbreviations(body)
    if glossary is not None:
        sections.append(glossary)
    rows = [TableRow(ln.service.code, ln.table_text, ln.decision) for ln in lines]
    letter = render(case.case_id, case.received, rows, sections)
    decisions: dict[str, Outcome] = {}
    for ln in lines:
        if decisions.get(ln.service.code, ln.decision) != ln.decision:
            raise GoldLetterError(f"{case.case_id}: code {ln.service.code} has two decisions")
        decisions[ln.service.code] = ln.decision
    return GoldLetterFile(
        case_id=case.case_id, text=letter.text, passages=letter.citations, decisions=decisions
    ), letter.markdown


def write_letters(gold_dir: Path = DEFAULT_GOLD_DIR, only: list[str] | None = None) -> list[Path]:
    """Render and write the letters (JSON and Markdown); returns the JSON paths written."""
    passages = load_passages()
    corpus = load_corpus()
    guideline, guideline_text = corpus.manifest, corpus.markdown
    out_dir = gold_dir / "letters"
    out_dir.mkdir(exist_ok=True)
    written: list[Path] = []
    for gold in load_gold(gold_dir, only or ()):
        letter, markdown = build_letter(gold, passages, guideline, guideline_text)
        path = out_dir / f"{gold.case_id}.json"
        path.write_text(json.dumps(letter.model_dump(), indent=2, ensure_ascii=False) + "\n")
        (out_dir / f"{gold.case_id}.md").write_text(markdown, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    written = write_letters(only=list(argv if argv is not None else sys.argv[1:]))
    print(f"wrote {len(written)} gold letters to {DEFAULT_GOLD_DIR / 'letters'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
