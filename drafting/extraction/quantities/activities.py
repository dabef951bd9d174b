"""Activities of daily living (ADLs) and instrumental ADLs (IADLs) a note names as impaired.

The guideline's "significant pain and functional impairment" needs inability to perform at least
two ADLs/IADLs, so `find_impaired_adls` returns each distinct activity named in a clause that also
states a limitation ("unable to", "difficulty", "limits", ...), and none from clauses that state
ability ("independent with", "without difficulty"). The activities and their phrasings are
data (`drafting/extraction/lexicons/activities.yaml`), and so are the limitation and ability
phrasings (`activity_limits.yaml`).
"""

from __future__ import annotations

import itertools
import re

from drafting.extraction.clinical_nlp.checkboxes import without_unticked
from drafting.extraction.lexicons import patterns, words
from drafting.extraction.quantities.mentions import AdlMention

ADL_PATTERNS: dict[str, str] = {
    name: "|".join(f"(?:{p})" for p in phrasings) for name, phrasings in words("activities").items()
}  # canonical activity name -> one alternation of its phrasings
_ADL = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{pattern})\b)" for name, pattern in ADL_PATTERNS.items()),
    re.IGNORECASE,
)
_STATES = patterns("activity_limits")  # a limitation ("unable to") or an ability ("independent")
_CLAUSE_BREAK = re.compile(r"[.;\n]|\bbut\b|\bhowever\b|\balthough\b", re.IGNORECASE)


def find_adls(text: str) -> list[AdlMention]:
    """Every ADL/IADL word in `text`, whatever is said about it."""
    found: list[AdlMention] = []
    for match in _ADL.finditer(text):
        name = match.lastgroup or ""
        found.append(
            AdlMention(start=match.start(), end=match.end(), text=match.group(0), name=name)
        )
    return found


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# a ticked box starts an item of its own ("ADLs limited: [X] walking [X] standing")
_LIST_BREAK = re.compile(r",|\band\b|\bor\b|\bthen\b|\[\s*[xX✓✔]\s*\]", re.IGNORECASE)


def find_impaired_adls(text: str) -> list[AdlMention]:
    """ADLs/IADLs a note names as impaired, one per listed item, each name once.

    A clause (split at . ; and newlines) counts when it states a limitation and no ability;
    within it, each comma/and-separated item contributes its first activity, so "cannot stand
    > 10 min to cook" is one impaired activity (standing), not two.
    """
    found: list[AdlMention] = []
    seen: set[str] = set()
    text = without_unticked(text)  # "[ ] bathing": not impaired (blanked, offsets kept)
    for start, end in _clauses(text):
        clause = text[start:end]
        if not _STATES["limitation"].search(clause) or _STATES["ability"].search(clause):
            continue
        cuts = [0, *(m.end() for m in _LIST_BREAK.finditer(clause)), len(clause)]
        for left, right in itertools.pairwise(cuts):
            items = find_adls(clause[left:right])
            fresh = [m for m in items if m.name not in seen]
            if not items or not fresh or fresh[0] is not items[0]:
                continue
            mention = fresh[0]
            seen.add(mention.name)
            shift = start + left
            found.append(
                mention.model_copy(
                    update={"start": mention.start + shift, "end": mention.end + shift}
                )
            )
    return found
