"""Parsers for scores and measured numbers: pain ratings, percentages, BMI, T-scores and
temperature differences."""

from __future__ import annotations

import re

from drafting.extraction.quantities.mentions import (
    WORD_NUMBERS,
    NumberMention,
    PainScore,
    Percent,
    Qualifier,
    drop_overlaps,
    word_number,
)

# spelled-out numbers ("seven out of ten", "seventy-five to eighty percent"); not "a"/"an"
_WORD = "|".join(
    re.escape(word).replace("\\ ", r"\s+")
    for word in sorted(WORD_NUMBERS, key=len, reverse=True)
    if word not in ("a", "an")
)
_TEN = r"(?:10|ten)\b"

_PAIN_LABEL = r"(?:VAS|NRS|NPRS|pain(?:\s+(?:score|level|rating|intensity))?)"
_PAIN_RANGE_SLASH = re.compile(
    r"(?<![\d/.])(?P<low>\d{1,2}(?:\.\d)?)\s*(?:-|–|to)\s*(?P<high>\d{1,2}(?:\.\d)?)\s*/\s*10(?![\d/])"
)
# an unlabelled "02/10" with its leading zero is a date ("blocks completed 02/10 and 02/24"); a
# labelled one ("Pain: 07/10") is read by _PAIN_LABELLED
_PAIN_SLASH = re.compile(r"(?<![\d/.\-–])(?!0\d)(?P<low>\d{1,2}(?:\.\d)?)\s*/\s*10(?![\d/])")
_PAIN_OUT_OF = re.compile(
    rf"(?<![\d.\w-])(?P<low>\d{{1,2}}(?:\.\d)?|{_WORD})(?:\s*(?:-|–|to|or)\s*"
    rf"(?P<high>\d{{1,2}}(?:\.\d)?|{_WORD}))?\s+(?:out\s+)?of\s+(?:a\s+)?(?:possible\s+)?{_TEN}",
    re.IGNORECASE,
)
_PAIN_LABELLED = re.compile(
    _PAIN_LABEL
    + r"(?:\s+(?:score|scale))?\s*(?:is|was|of|at|:|=|rated(?:\s+at)?|reported\s+as)?\s*"
    r"(?P<low>\d{1,2}(?:\.\d)?)(?:\s*(?:-|–|to)\s*(?P<high>\d{1,2}(?:\.\d)?))?"
    r"(?:\s*/\s*10|\s+(?:out\s+)?of\s+10)?(?![\d./%])"
    r"(?!\s*-?\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?|mg|mm|cm|times|x)\b)",
    re.IGNORECASE,
)


# "rates it a 2", "rated his pain at seven" (a rating verb and a bare number on the 0-10 scale)
_PAIN_RATED = re.compile(
    rf"\brat(?:es|ed|ing)\s+(?:it|the\s+pain|(?:his|her|their|the)\s+(?:\w+\s+)?pain|pain)\s+"
    rf"(?:as\s+|at\s+)?(?:an?\s+)?(?P<low>\d{{1,2}}(?:\.\d)?|{_WORD})"
    rf"(?:\s*(?:-|–|to|or)\s*(?P<high>\d{{1,2}}(?:\.\d)?|{_WORD}))?"
    r"(?:\s*/\s*10|\s+(?:out\s+)?of\s+(?:10|ten))?(?![\d%]|\.\d)"
    r"(?!\s*-?\s*(?:days?|weeks?|months?|years?|hours?|mg|times|x)\b)",
    re.IGNORECASE,
)


# the patient's own number told as words spoken ('Pain: tells me "about a 6" today'), in a
# sentence that names the pain and a 0-10 scale
_PAIN_TOLD = re.compile(
    rf"\bpain\b[^.;\n]{{0,20}}?\b(?:tells?\s+(?:me|us)|says|said|calls\s+it)\s+[\"“']?"
    rf"(?:about|around|maybe|roughly|like)?\s*(?:an?\s+)?(?P<low>\d{{1,2}}|{_WORD})[\"”']?"
    r"(?![\d%/]|\.\d|\s*-?\s*(?:days?|weeks?|months?|years?|hours?|mg|times|x|ft|feet)\b)"
    r"(?=[^.;\n]{0,80}?\b(?:0\s*-\s*10|out\s+of\s+(?:10|ten)|scale)\b)",
    re.IGNORECASE,
)


# a rating told by the kind of day it holds on ("maybe a one or two on a bad day", "a 5 on a
# good day"): a bare number on the 0-10 scale
_PAIN_DAY = re.compile(
    rf"(?<![\w-])an?\s+(?P<low>\d{{1,2}}|{_WORD})(?:\s*(?:-|–|to|or)\s*(?:an?\s+)?"
    rf"(?P<high>\d{{1,2}}|{_WORD}))?\s+on\s+(?:a\s+)?(?:bad|good|typical|average|normal|rough)"
    r"\s+days?\b",
    re.IGNORECASE,
)


# an unlabelled "2/10" told as a day: named beside another day ("done 2/10 and 2/24") or after a
# word that dates ("blocks done 2/10")
_DATE_BEFORE = re.compile(
    r"\b(?:on|done|dated|completed|performed|scheduled|since|until|DOS|DOI)\s*:?\s*$", re.I
)
_DATE_AFTER = re.compile(r"\s*(?:,|and|&|-|–|through|thru)\s*\d{1,2}/(?!10\b)\d{1,2}\b", re.I)


def _a_date(text: str, start: int, end: int) -> bool:
    return bool(
        _DATE_BEFORE.search(text[max(0, start - 12) : start]) or _DATE_AFTER.match(text, end)
    )


# a comparison sign right before a number makes it a threshold ("Upper-limb pain >=3/10 [ ] Yes")
_THRESHOLD_SIGN = re.compile(r"(?:[<>≥≤]=?|=>|=<)\s*$")


def find_pain_scores(text: str) -> list[PainScore]:
    """Pain ratings on the 0-10 scale: "7/10", "6-7/10", "VAS 6", "NRS 8/10", "4 out of 10", "a
    one or two on a bad day";
    never a threshold written with a comparison sign (">=3/10", "< 4/10")."""
    found: list[PainScore] = []
    patterns = (
        _PAIN_RANGE_SLASH,
        _PAIN_OUT_OF,
        _PAIN_SLASH,
        _PAIN_LABELLED,
        _PAIN_RATED,
        _PAIN_TOLD,
        _PAIN_DAY,
    )
    for pattern in patterns:
        for match in pattern.finditer(text):
            if _THRESHOLD_SIGN.search(text[max(0, match.start() - 4) : match.start()]):
                continue
            if pattern is _PAIN_SLASH and _a_date(text, match.start(), match.end()):
                continue
            low = word_number(match.group("low"))
            high_text = match.groupdict().get("high")
            high = word_number(high_text) if high_text else None
            if low > 10 or (high is not None and (high > 10 or high < low)):
                continue
            found.append(PainScore.of_match(match, value=low, high=high))
    return drop_overlaps(found)


_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (r"~|approximately|approx\.?|about|around|roughly|nearly|almost|close\s+to", "approximately"),
    (r"≥|>=|at\s+least|no\s+less\s+than|a\s+minimum\s+of", "at_least"),
    (r">|greater\s+than|more\s+than|over|better\s+than|in\s+excess\s+of", "more_than"),
    (r"≤|<=|at\s+most|no\s+more\s+than|up\s+to", "at_most"),
    (r"<|less\s+than|under|below", "less_than"),
]
_QUALIFIER_RE = "|".join(f"(?:{pattern})" for pattern, _ in _QUALIFIERS)
_PERCENT_SIGN = r"\s*(?:%|percent\b|per\s+cent\b|pct\b)"
_PERCENT_NUMBER = rf"\d{{1,3}}(?:\.\d+)?|(?<![\w-])(?:{_WORD})"
_PERCENT = re.compile(
    rf"(?:(?P<qual>{_QUALIFIER_RE})\s*)?(?<![\d./])(?P<low>{_PERCENT_NUMBER})(?:{_PERCENT_SIGN})?"
    rf"\s*(?:-|–|to)\s*(?P<high>{_PERCENT_NUMBER}){_PERCENT_SIGN}"
    rf"|(?:(?P<qual1>{_QUALIFIER_RE})\s*)?(?<![\d./])(?P<single>{_PERCENT_NUMBER}){_PERCENT_SIGN}",
    re.IGNORECASE,
)


def _qualifier(token: str | None) -> Qualifier:
    if not token:
        return "exact"
    for pattern, name in _QUALIFIERS:
        if re.fullmatch(pattern, token.strip(), re.IGNORECASE):
            return name
    return "exact"


def find_percents(text: str) -> list[Percent]:
    """Percentages: "80% relief", "80-90%", "~50%", "greater than 80 percent"."""
    found: list[Percent] = []
    lowered = text.lower()
    if "%" not in text and "per" not in lowered and "pct" not in lowered:
        return found  # every match ends in one of them (_PERCENT_SIGN): skip the long regex
    for match in _PERCENT.finditer(text):
        if match.group("single"):
            low, high, qual = word_number(match.group("single")), None, match.group("qual1")
        else:
            low, qual = word_number(match.group("low")), match.group("qual")
            high = word_number(match.group("high"))
        if low > 100 or (high is not None and (high > 100 or high < low)):
            continue
        found.append(Percent.of_match(match, value=low, high=high, qualifier=_qualifier(qual)))
    return found


_BMI = re.compile(
    r"\b(?:BMI|body\s+mass\s+index)\s*(?:is|was|of|:|=|-)?\s*(?:of\s+)?(?P<value>\d{2}(?:\.\d+)?)",
    re.IGNORECASE,
)
_T_SCORE = re.compile(
    r"\bT[\s-]?scores?\s*(?:is|was|of|:|=)?\s*(?:of\s+)?(?P<value>[-−–]\s?\d(?:\.\d+)?|\+?\d(?:\.\d+)?)",
    re.IGNORECASE,
)
_TEMPERATURE = re.compile(
    r"(?<![\d.])(?P<value>\d{1,3}(?:\.\d+)?)\s*(?:°|º|degrees?\b|deg\b\.?)?\s*"
    r"(?P<unit>°?C(?:elsius)?|°?F(?:ahrenheit)?)\b",
    re.IGNORECASE,
)


def find_bmi(text: str) -> list[NumberMention]:
    """Body-mass index values: "BMI 32.4", "BMI: 41", "body mass index of 28"."""
    return [NumberMention.of_match(m, value=float(m.group("value"))) for m in _BMI.finditer(text)]


def find_t_scores(text: str) -> list[NumberMention]:
    """Bone-density T-scores: "T-score -2.7", "T score of −2.5"."""
    found: list[NumberMention] = []
    for match in _T_SCORE.finditer(text):
        raw = re.sub(r"[\s−–]", lambda c: "-" if c.group(0) in "−–" else "", match.group("value"))
        found.append(NumberMention.of_match(match, value=float(raw)))
    return found


def find_temperature_differences(text: str) -> list[NumberMention]:
    """Temperature differences in °C ("1.5 °C", "rise of 2.1 degrees C", "3 °F" -> 1.67 °C);
    readings that are body temperatures (over 10 °C) are left out."""
    found: list[NumberMention] = []
    for match in _TEMPERATURE.finditer(text):
        value = float(match.group("value"))
        unit = match.group("unit").lstrip("°")[0].upper()
        celsius = value * 5.0 / 9.0 if unit == "F" else value
        if celsius > 10:
            continue
        found.append(NumberMention.of_match(match, value=round(celsius, 2)))
    return found
