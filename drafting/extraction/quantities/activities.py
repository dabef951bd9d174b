"""Activities of daily living (ADLs) and instrumental ADLs (IADLs) a note names as impaired.

The guideline's "significant pain and functional impairment" needs inability to perform at least
two ADLs/IADLs, so `find_impaired_adls` returns each distinct activity named in a clause that also
states a limitation ("unable to", "difficulty", "limits", ...), and none from clauses that state
ability ("independent with", "without difficulty"). The activities and their phrasings are
data: `drafting/extraction/lexicons/activities.yaml`.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import yaml

from drafting.extraction.quantities.mentions import AdlMention

LEXICON = Path(__file__).resolve().parents[1] / "lexicons" / "activities.yaml"


def _load_patterns(path: Path = LEXICON) -> dict[str, str]:
    """canonical activity name -> one alternation of its phrasings (from the YAML lexicon)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: "|".join(f"(?:{p})" for p in patterns) for name, patterns in data.items()}


ADL_PATTERNS: dict[str, str] = _load_patterns()
_ADL = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{pattern})\b)" for name, pattern in ADL_PATTERNS.items()),
    re.IGNORECASE,
)
_LIMITATION = re.compile(
    r"\b(?:unable|inability|cannot|can\s*not|can'?t|could\s*n[o']t|difficult(?:y|ies)?|trouble"
    r"|struggl(?:e|es|ing)|limit(?:s|ed|ing|ation|ations)?|impair(?:ed|s|ment)|interfer(?:e|es|ing)"
    r"|prevent(?:s|ed|ing)?|restrict(?:s|ed|ion|ions)?|no\s+longer|stopped|needs?\s+(?:help|assistance)"
    r"|requires?\s+(?:help|assistance)|dependent|avoid(?:s|ing)?|intolerance|tolerate[sd]?\s+only"
    r"|unable\s+to\s+tolerate|wakes?|awaken(?:s|ed|ing)?|disrupt(?:s|ed|ing)?|interrupt(?:s|ed|ing)?"
    r"|hard\s+to|only\s+(?:able|for|with)|out\s+of\s+work"
    r"|off\s+work|missed\s+work|light\s+duty|modified\s+duty|disabled)\b",
    re.IGNORECASE,
)
_ABILITY = re.compile(
    r"\b(?:independent(?:ly)?\s+(?:with|in)|without\s+(?:difficulty|limitation|restriction)"
    r"|no\s+(?:difficulty|limitation|functional\s+limitation|trouble)|not\s+limited|able\s+to"
    r"\s+(?:perform|do|complete)\s+all|full\s+duty|back\s+to\s+work|returned\s+to\s+work)\b",
    re.IGNORECASE,
)
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


_LIST_BREAK = re.compile(r",|\band\b|\bor\b|\bthen\b", re.IGNORECASE)


def find_impaired_adls(text: str) -> list[AdlMention]:
    """ADLs/IADLs a note names as impaired, one per listed item, each name once.

    A clause (split at . ; and newlines) counts when it states a limitation and no ability;
    within it, each comma/and-separated item contributes its first activity, so "cannot stand
    > 10 min to cook" is one impaired activity (standing), not two.
    """
    found: list[AdlMention] = []
    seen: set[str] = set()
    for start, end in _clauses(text):
        clause = text[start:end]
        if not _LIMITATION.search(clause) or _ABILITY.search(clause):
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
