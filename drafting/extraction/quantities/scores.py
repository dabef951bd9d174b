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
    r"(?:\s*/\s*10|\s+(?:out\s+)?of\s+10)?(?![\d/%]|\.\d)"
    r"(?!\s*-?\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?|mg|mm|cm|times|x)\b)",
    re.IGNORECASE,
)


# "rates it a 2", "rated his pain at seven" (a rating verb and a bare number on the 0-10 scale)
_PAIN_RATED = re.compile(
    rf"\brat(?:es|ed|ing)\s+(?:it|the\s+pain|(?:his|her|their|the)\s+(?:\w+\s+)?pain|pain)\s+"
    rf"(?:as\s+|at\s+)?[\"“']?(?:an?\s+)?(?P<low>\d{{1,2}}(?:\.\d)?|{_WORD})"
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
    r"(?=[^.;\n]{0,80}?\b(?:0\s*-\s*10|out\s+of\s+(?:10|ten)|scale)\b)"
    # or the rating quoted as spoken, in a sentence about the pain ('the leg pain is back ...: he
    # calls it "a seven, some nights an eight."')
    rf"|\bpain\b[^.;\n]{{0,100}}?\b(?:tells?\s+(?:me|us)|says|said|calls\s+it|rates\s+it)"
    rf"\s+[\"“](?:about\s+|around\s+|maybe\s+|like\s+)?an?\s+(?P<quoted>{_WORD}|\d{{1,2}})\b"
    r"(?=[\"”,;.]|\s+(?:on|most|some|at|out|or|to|and)\b)",
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
            low = word_number(match.group("low") or match.groupdict()["quoted"])
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


# A relief told as the pain before and after ("7 -> 1", "went from a 9 to a 1", "2/10 (was 7/10
# pre-RF)", "8/10 before, ~2/10 now", "pre 7/10, post 1/10"): the drop as a percentage of the
# pain before. Another scale's pair ("ODI 40 -> 20", "PHQ 9 -> 4") is not the pain's.
_N = rf"(?:\d{{1,2}}(?:\.\d)?|{_WORD})"
_OF_TEN = r"(?:\s*/\s*10(?![\d/])|\s+(?:out\s+)?of\s+(?:10|ten)\b)"
_UNIT_AFTER = re.compile(
    r"\s*(?:°|deg|C\b|F\b|min|mins?\b|minutes?|h\b|hrs?\b|hours?|days?|weeks?|wks?|months?|mos?\b"
    r"|mg|mm|cm|kg|lbs?|%|percent|sessions?|levels?|blocks?|times|visits?|x\b)",
    re.I,
)
_OTHER_SCALE_BEFORE = re.compile(
    r"\b(?:ODI|NDI|PHQ|GAD|mJOA|JOA|ROM|grade|strength|temp\w*|BMI|A1c|Oswestry|PCS|"
    r"reflex\w*|motor)\b[^.;]{0,12}$",
    re.I,
)
_DROPS = (
    re.compile(
        rf"(?<![\d/.])(?P<pre>\d{{1,2}}(?:\.\d)?){_OF_TEN}?\s*(?:->|→|=>|-->|⇒)\s*(?:~\s*)?"
        rf"(?P<post>\d{{1,2}}(?:\.\d)?)(?:\s*-\s*(?P<post_high>\d{{1,2}}))?{_OF_TEN}?(?![\d/]|\.\d)"
    ),
    re.compile(
        rf"\bfrom\s+(?:an?\s+)?(?P<pre>{_N}){_OF_TEN}?\s+(?:(?:down|all\s+the\s+way\s+down)\s+)?"
        rf"to\s+(?:an?\s+|about\s+(?:an?\s+)?|~\s*)?(?P<post>{_N})"
        rf"(?:\s*-\s*(?P<post_high>\d{{1,2}}))?{_OF_TEN}?(?![\d/]|\.\d)",
        re.I,
    ),
    re.compile(
        r"(?<![\d/.])(?P<post>\d{1,2}(?:\.\d)?)(?:\s*-\s*(?P<post_high>\d{1,2}))?\s*/\s*10\s*"
        r"\(\s*(?:was|from|vs\.?|versus)?\s*(?P<pre>\d{1,2}(?:\.\d)?)\s*/\s*10\s*"
        r"(?:pre\b|pre-|before|prior|at\s+baseline|baseline)",
        re.I,
    ),
    re.compile(
        r"(?<![\d/.])(?P<pre>\d{1,2}(?:\.\d)?)\s*/\s*10\s+(?:pre\b[-\w]*|before(?:\s+the\s+\w+)?)"
        r"\s*[,;]?\s*(?:and\s+)?~?\s*(?P<post>\d{1,2}(?:\.\d)?)(?:\s*-\s*(?P<post_high>\d{1,2}))?"
        r"\s*/\s*10\s+(?:now|after|post\b)",
        re.I,
    ),
    re.compile(
        rf"\bpre[-\s]?(?:procedure|proc|block|injection|inj|op)?\s*(?:pain|NRS|NPRS|VAS)?\s*[:=]?\s*"
        rf"(?P<pre>\d{{1,2}}(?:\.\d)?){_OF_TEN}?\s*[,;/]?\s*(?:and\s+)?"
        rf"post[-\s]?(?:procedure|proc|block|injection|inj|op)?\s*(?:pain|NRS|NPRS|VAS)?\s*[:=]?\s*"
        rf"(?P<post>\d{{1,2}}(?:\.\d)?)(?:\s*-\s*(?P<post_high>\d{{1,2}}))?{_OF_TEN}?(?![\d/]|\.\d)",
        re.I,
    ),
)


_PAIN_BEFORE = re.compile(r"\b(?:pain|NRS|NPRS|VAS|score|rat\w+|index)\b[^.;]{0,40}$", re.I)


def _a_pain_pair(text: str, match: re.Match[str]) -> bool:
    """ "from 8/10 to 2/10", "from a 9 to a 1", or a pain named just before ("pain came down from
    eight to one"): not any count that went from one number to another."""
    said = match.group(0)
    return bool(
        re.search(r"/\s*10|\bof\s+(?:10|ten)\b|\bfrom\s+an?\s", said, re.I)
        or _PAIN_BEFORE.search(text[max(0, match.start() - 50) : match.start()])
    )


def find_score_drops(text: str) -> list[Percent]:
    """Relief told as a pain score before and after, as the percentage the pain fell by (of a
    range after, its higher end: "7 -> 0-1/10" is 86%)."""
    found: list[Percent] = []
    for pattern in _DROPS:
        for match in pattern.finditer(text):
            if _UNIT_AFTER.match(text, match.end()) or _OTHER_SCALE_BEFORE.search(
                text[max(0, match.start() - 30) : match.start()]
            ):
                continue
            if pattern is _DROPS[1] and not _a_pain_pair(text, match):
                continue
            pre = word_number(match.group("pre"))
            post_text = match.group("post_high") or match.group("post")
            post = word_number(post_text)
            if not 0 < pre <= 10 or post > 10:
                continue
            relief = max(0.0, round((pre - post) / pre * 100))
            found.append(Percent.of_match(match, value=relief))
    return drop_overlaps(found)
