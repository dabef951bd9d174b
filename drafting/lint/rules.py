"""Text rules the letter linter applies: quotes, citations, excluded procedures, instructions,
and the one home of the heading rules a letter's text is read with (`is_heading`, the linter's;
`is_lead_in`, a list's lead-in; `is_capitals_heading`, an edited letter's sections).

Pure functions over strings, shared by `drafting.lint.linter` (which turns their hits into findings)
and `drafting.letters.template` (which must not quote an instruction found in the notes). The
excluded-procedure patterns are built from the guideline's own Exclusions passages, not from a fixed
list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from guideline_corpus.corpus import normalize_ws

CITATION_RE = re.compile(r"\[([a-z0-9][a-z0-9_.\-]*(?:/[a-z0-9_.\-]+)+)\]")
QUOTED_RE = re.compile(r"“([^”]*)”|\"([^\"\n]*)\"")


def normalize_quote(text: str) -> str:
    """Whitespace collapsed, markdown emphasis and surrounding quote marks removed."""
    return normalize_ws(text.replace("**", "")).strip("“”\"' ")


def comparable(text: str) -> str:
    """Lower-case, markdown stars removed, whitespace collapsed: for 'does A appear in B'."""
    return normalize_ws(text.replace("*", "").replace("’", "'")).lower()


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every “…” or "…" span."""
    return [(m.start(), m.end(), m.group(1) or m.group(2) or "") for m in QUOTED_RE.finditer(text)]


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces (positions of the rest are kept)."""
    return text[:start] + " " * (end - start) + text[end:]


def without_quotes(text: str) -> str:
    """The text with every quoted span blanked out."""
    for start, end, _ in reversed(quoted_spans(text)):
        text = blank(text, start, end)
    return text


def sentences(text: str) -> list[str]:
    """Lines split further at sentence ends (a period, ! or ? before a capital or a quote)."""
    out: list[str] = []
    for line in text.splitlines():
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(\-])", line) if s.strip()]
    return out


# ---------------------------------------------------------------- instructions in the notes

_INSTRUCTION = re.compile(
    r"""\b(?:please\s+)?approve\s+(?:this|the)\s+(?:request|authori[sz]ation|procedure|case)\b
    |\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+
        |above\s+|earlier\s+|other\s+)*(?:instructions?|criteria|guidelines?|rules|policy|policies
        |prompts?)\b
    |^\s*(?:system|assistant|user|developer)\s*:
    |\bas\s+(?:the|a|an)\s+(?:reviewer|ai|assistant|language\s+model|model)\b[^.]*\b(?:must|should|will)\b
    |\byou\s+(?:must|should|are\s+required\s+to|need\s+to)\s+(?:approve|authori[sz]e|certify)\b
    |\b(?:must|should|is\s+to)\s+be\s+(?:approved|authori[sz]ed|certified)\b
    |\bdo\s+not\s+(?:deny|pend)\b
    |\boverride\s+(?:the\s+|any\s+)?(?:criteria|guidelines?|decision|rules)\b
    |\bnew\s+instructions?\b
    |<\|?(?:im_start|system|endoftext)\|?>
    """,
    re.I | re.X | re.M,
)


_STRONG_INSTRUCTION = re.compile(
    r"""\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+
        |above\s+|earlier\s+|other\s+)*(?:instructions?|criteria|guidelines?|rules|prompts?)\b
    |^\s*(?:system|assistant|user|developer)\s*:
    |\bas\s+(?:the|a|an)\s+(?:reviewer|ai|assistant|language\s+model|model)\b[^.]*\b(?:must|should)\b
    |\byou\s+(?:must|are\s+required\s+to)\s+(?:approve|authori[sz]e|certify)\b
    |<\|?(?:im_start|system|endoftext)\|?>
    """,
    re.I | re.X | re.M,
)


def looks_like_instruction(text: str, *, strong_only: bool = False) -> bool:
    """True when the text reads like an instruction to the reviewer or model, not a note.

    `strong_only` keeps the unmistakable forms (ignore the criteria, "system:", "you must
    approve"), for text such as a letter where "should be approved" may be ordinary prose.
    """
    pattern = _STRONG_INSTRUCTION if strong_only else _INSTRUCTION
    return bool(pattern.search(text))


def instruction_sentences(documents: Iterable[str]) -> list[str]:
    """Instruction-like sentences found inside clinical documents (prompt-injection attempts)."""
    found: list[str] = []
    for document in documents:
        for sentence in sentences(document):
            if looks_like_instruction(sentence):
                found.append(" ".join(sentence.split()))
    return list(dict.fromkeys(found))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def carries_over(sentence: str, letter: str, window: int = 6) -> bool:
    """True when the letter repeats the sentence, or any `window` consecutive words of it."""
    words, letter_words = _words(sentence), " " + " ".join(_words(letter)) + " "
    if not words:
        return False
    if len(words) <= window:
        return f" {' '.join(words)} " in letter_words
    return any(
        f" {' '.join(words[i : i + window])} " in letter_words
        for i in range(len(words) - window + 1)
    )


# ---------------------------------------------------------------- excluded procedures

# Strong qualifiers: a technique or agent that on its own makes a procedure excluded.
_STRONG: dict[str, str] = {
    "pulsed": r"\bpulsed\b",
    "cryo": r"\bcryo\w*",
    "chemical": r"\bchemical (?:neurolysis|ablation|denervation)",
    "laser": r"\blaser\b",
    "endoscopic": r"\bendoscop\w*",
    "open_surgical": r"\bopen surgical\b",
    "low_thermal": r"\blow-grade thermal\b|\bless than 80 degrees\b",
    "ultrasound": r"\bultrasound\b",
    "prolotherapy": r"\bprolotherapy\b",
    "prp": r"\bplatelet[- ]rich plasma\b|\bPRP\b",
    "biologic": r"\bbiologics?\b|\bstem cells?\b|\ballogeneic\b",
    "botulinum": r"\bbotulinum\b|\bbotox\b",
    "adhesiolysis": r"\blysis of (?:epidural )?adhesions\b|\badhesiolysis\b",
    "chemonucleolysis": r"\bchemonucleolysis\b|\bchymopapain\b|\bcondoliase\b|\boxygen-ozone\b",
    "neurolytic_substance": r"\bneurolytic substance\b|\bphenol\b",
}
_SELF_CONTAINED = frozenset({"adhesiolysis", "chemonucleolysis"})
# Weak qualifiers: only count when a bullet has no strong one, and then all are required.
_WEAK: dict[str, str] = {
    "diagnostic": r"\bdiagnostic\b",
    "therapeutic": r"\btherapeutic\b",
    "intraarticular": r"\bintra-?articular\b",
}
_PROCEDURES: dict[str, str] = {
    "ablation": r"\bradiofrequency\b|\bRFA\b|\bablation\b|\bneurotomy\b|\bdenervation\b"
    r"|\brhizotomy\b|\bneurolysis\b|\blesioning\b|\bneurectomy\b",
    "block": r"\bblocks?\b",
    "injection": r"\binjections?\b|\binfusions?\b",
    "stimulation": r"\bstimulat\w+",
}
# Targets, most specific first; a bullet's principal target is the first one it names.
_TARGETS: dict[str, str] = {
    "sacral_lateral_branch": r"\bsacral lateral branch\w*|\blateral sacral branch\w*"
    r"|\blateral branch(?:es)? (?:of|at|from) S\d"
    r"|\bS\d(?:(?:\s*,\s*|\s+)(?:and\s+|to\s+|through\s+)?S?\d|\s*[-–]\s*S?\d)*,?\s+"
    r"(?:spinal\s+)?lateral branch\w*",
    "ganglion_impar": r"\bganglion impar\b",
    "medial_branch": r"\bmedial branch\w*",
    "si_joint": r"\bsacroiliac\b|\bSIJ?\b",
    "facet": r"\bfacet\b|\bzygapophys\w+",
    "disc": r"\bintradiscal\b|\bintervertebral disc\b|\bdiscs?\b",
    "epidural": r"\bepidural\b|\bsubarachnoid\b",
}
# Targets on which the guideline excludes every procedure (sacroiliac and sympathetic sections).
_EXCLUDED_TARGETS = frozenset({"sacral_lateral_branch", "ganglion_impar"})
# Exclusions that depend on circumstances (a level, a session, a history) are not text-matchable.
_CONDITIONAL = re.compile(
    r"same day|single session|one session|per session|more than|at the level|in the setting"
    r"|previously|prior|repeat|reasons other than|other indication|for the treatment of"
    r"|thoracic region|at C0|simultaneous|in the absence|in patients|non-CRPS|\bif\b|only one"
    r"|bilateral|regardless|with diagnostic intraarticular|extended time",
    re.I,
)
_RECOMMEND = re.compile(
    r"\brecommend\w*|\bsuggest\w*|\bconsider\w*|\bnext (?:step|intervention|treatment|option)"
    r"|\bproceed(?:ing)? (?:with|to)\b|\bcandidate for\b|\bwould be (?:appropriate|reasonable"
    r"|indicated|preferred|the)\b|\balternative\w*|\binstead\b|\badvis\w+|\bshould (?:undergo"
    r"|receive|try|have|be offered)\b|\bplan (?:for|to)\b|\bwe (?:encourage|propose)\b"
    r"|\b(?:is|are) indicated\b|\btrial of\b|\bappropriate next\b",
    re.I,
)
_NEGATED = re.compile(
    r"\bexclu\w+|\bnot medically necessary\b|\bnon-?covered\b|\bnot (?:be )?(?:approved"
    r"|authori[sz]ed|covered|recommended|appropriate|an option|indicated|considered|supported)\b"
    r"|\b(?:does|do) not (?:cover|support|recommend|allow)\b|\bcannot be\b|\bnot among\b",
    re.I,
)


@dataclass(frozen=True)
class ExcludedProcedure:
    """One unconditional exclusion of a procedure, as concepts a sentence can be matched on."""

    passage_id: str
    text: str
    strong: frozenset[str]
    weak: frozenset[str]
    procedures: frozenset[str]
    target: str | None

    def matches(self, sentence: str, found: set[str] | None = None) -> bool:
        """True when the sentence (whose concepts may be given) names this excluded procedure."""
        found = _concepts(sentence) if found is None else found
        if self.target in _EXCLUDED_TARGETS:
            return self.target in found and bool(found & set(_PROCEDURES))
        target_missing = self.target is not None and self.target not in found
        if target_missing and not self.strong & _SELF_CONTAINED & found:
            return False
        if self.strong:
            if not self.strong & found:
                return False
            return self.target is not None or not self.procedures or bool(self.procedures & found)
        if self.weak and self.target is not None and self.procedures & found:
            return _qualifies_target(sentence, self.weak, self.target)
        return False

    def position(self, sentence: str) -> int:
        """Where this rule's procedure is first named in the sentence (to pick the closest rule)."""
        spots = [
            m.start()
            for name in self.procedures | self.strong
            for m in re.finditer(_PROCEDURES.get(name) or _STRONG[name], sentence, re.I)
        ]
        return min(spots, default=len(sentence))


def _qualifies_target(sentence: str, weak: frozenset[str], target: str) -> bool:
    """Every weak qualifier stands just before a mention of the target ('therapeutic MBB')."""
    for match in re.finditer(_TARGETS[target], sentence, re.I):
        before = sentence[max(0, match.start() - 40) : match.start()]
        if all(re.search(_WEAK[name], before, re.I) for name in weak):
            return True
    return False


def _concepts(text: str) -> set[str]:
    tables = (_STRONG, _WEAK, _PROCEDURES, _TARGETS)
    return {
        name
        for table in tables
        for name, pattern in table.items()
        if re.search(pattern, text, re.I)
    }


def _bullets(text: str) -> list[str]:
    items = [m.group(1) for m in re.finditer(r"^\s*[-*+]\s+(.+)$", text, re.M)]
    return items or [text]


def excluded_procedures(
    passages: Iterable[tuple[str, tuple[str, ...], str]],
) -> list[ExcludedProcedure]:
    """Procedure exclusions from (passage id, heading path, text) of the Exclusions passages."""
    rules: list[ExcludedProcedure] = []
    for passage_id, heading_path, text in passages:
        if not any("exclusion" in heading.lower() for heading in heading_path):
            continue
        for bullet in _bullets(text):
            bullet = bullet.replace("**", "")
            if _CONDITIONAL.search(bullet):
                continue
            found = _concepts(bullet)
            target = next((t for t in _TARGETS if t in found), None)
            strong = frozenset(found & set(_STRONG))
            weak = frozenset(_concepts(re.sub(r"\([^)]*\)", " ", bullet)) & set(_WEAK))
            procedures = frozenset(found & set(_PROCEDURES))
            if target is None and not strong:
                continue
            if not (strong or weak or target in _EXCLUDED_TARGETS):
                continue
            rules.append(ExcludedProcedure(passage_id, bullet, strong, weak, procedures, target))
    return rules


def is_heading(line: str) -> bool:
    """A letter line that heads what follows it (the linter's reading of a letter's structure).

    Not a bullet; a line in capitals, or a sentence-case line that is short (80 characters at
    most) or names a decision section ("Denied: 64483 ..."), not ending in . ! ? or :.
    """
    stripped = line.strip()
    if not stripped or stripped.startswith(("- ", "* ")):
        return False
    if stripped == stripped.upper():
        return True
    named = re.match(r"(?:Denied|Information needed|Approved): ", stripped) is not None
    return (len(stripped) <= 80 or named) and stripped[-1] not in ".!?:"


def is_capitals_heading(line: str) -> bool:
    """A line in capitals (with letters, 120 characters at most): a heading of an edited letter."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and line == line.upper() and len(line) <= 120


def is_lead_in(line: str) -> bool:
    """A short line that may head a list, bullets included ("Recommended next steps:"): at most
    80 characters once a trailing ':' is dropped, not ending a sentence (. ! ?)."""
    stripped = line.strip().rstrip(":")
    return 0 < len(stripped) <= 80 and not re.search(r"[.!?]$", stripped)


def recommended_exclusions(
    text: str, rules: list[ExcludedProcedure]
) -> list[tuple[str, ExcludedProcedure]]:
    """(sentence, rule) for each sentence that recommends a procedure the guideline excludes.

    A sentence counts as a recommendation when it uses recommending words, or when it stands under
    a heading that does ("Recommended next steps"); a sentence that calls the procedure excluded
    or not covered (even in a quote) is not a recommendation. Quoted text is not matched.
    """
    hits: list[tuple[str, ExcludedProcedure]] = []
    heading_recommends = False
    for raw_line in text.splitlines():
        line = without_quotes(raw_line)
        if is_lead_in(line) and len(line.split()) <= 8:
            heading_recommends = bool(_RECOMMEND.search(line))
        for raw_sentence, sentence in zip(sentences(raw_line), sentences(line), strict=False):
            if _NEGATED.search(raw_sentence):  # quoted "not covered" still speaks of exclusion
                continue
            if not (heading_recommends or _RECOMMEND.search(sentence)):
                continue
            found = _concepts(sentence)
            matching = [rule for rule in rules if rule.matches(sentence, found)]
            if matching:
                closest = min(matching, key=lambda rule: rule.position(sentence))
                hits.append((sentence.strip(), closest))
    return hits


# ---------------------------------------------------------------- criteria from elsewhere

FOREIGN_SOURCES = re.compile(
    r"\bclinical policy bulletins?\b|\bCPB\s*#?\s*\d+|\bCPBs?\b|\bLCDs?\b|\bNCDs?\b"
    r"|\blocal coverage determination\b|\bnational coverage determination\b|\bInterQual\b"
    r"|\bMCG\b|\bMilliman\b|\bAetna\b|\bCigna\b|\bUnitedHealthcare\b|\bHumana\b|\bAnthem\b"
    r"|\bEviCore\b|\bMedical Advisory Board\b|\bDr\.?\s?Oracle\b|\bPraxis Medical Insights\b"
    r"|\bAmerican College of Physicians\b|\bAmerican Society of (?:Anesthesiologists"
    r"|Interventional Pain Physicians)\b|\bBritish Pain Society\b|\bBMJ\b|\bPM&R\b|\bASIPP\b"
    r"|\bNASS\b|\bpayer's (?:clinical )?polic\w+|\bJournal of Neurosurgery\b",
    re.I,
)
