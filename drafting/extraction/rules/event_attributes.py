"""What one prior procedure event says: its attributes read from a window of text.

Owns the vocabulary of an event's fields: levels, side, approach, agent (steroid, or anesthetic
only), percent relief (a percentage near relief/improvement words or right after a pain drop
"7 -> 1 (86%)"; "sustained"/"still" figures win), duration of relief ("lasting 4-5 weeks"; "at 2
weeks" is a time point), purpose, functional/medication/objective improvement, consistency with
the agent and temperature rise, and the defaults an event type implies. `events` decides which
mentions are events and which windows belong to them. The relief, time-point, improvement and
region words are data (`lexicons/relief.yaml`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import (
    find_dates,
    find_durations,
    find_percents,
    find_score_drops,
    find_sides,
    find_temperature_differences,
)
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.quantities.calendar import (
    MONTH_NUMBERS,
    PART_OF_MONTH_DAY,
    holiday_date,
)
from drafting.extraction.quantities.mentions import NUMBER_PATTERN, word_number
from drafting.extraction.rules.pain_diary import skin_local
from drafting.extraction.rules.procedure_terms import (
    APPROACH_PATTERNS,
    PROCEDURE_TYPES,
    levels_named,
)

# "6 h", "about six hours", "1.5 hrs" (a spelled-out count names the unit in full)
_HOURS = re.compile(
    rf"(?:(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)|\b({NUMBER_PATTERN})\s+hours?)\b", re.IGNORECASE
)
# how long a local anesthetic's relief lasts, in hours (relief consistent with the agent)
_ANESTHETIC_HOURS = [
    (re.compile(r"\b(?:lidocaine|lignocaine|Xylocaine)\b", re.I), 0.25, 4.0),
    (
        re.compile(r"\b(?:(?:levo)?bupivacaine|ropivacaine|Marcaine|Chirocaine|Naropin)\b", re.I),
        2.0,
        12.0,
    ),
]
_RELIEF = patterns("relief", "relief")
_TIMING = patterns("relief", "timing")
_IMPROVEMENT = patterns("relief", "improvement")  # keys: the event fields they set
_REGION_WORDS = patterns("relief", "regions")
FUNCTION_BETTER = _IMPROVEMENT["functional_improvement"]
# working key on an event under construction: which local anesthetic it used (an index into
# _ANESTHETIC_HOURS), so a later block given "the same agent" is judged by the same clock
ANESTHETIC = "_anesthetic"
SAME_AGENT = patterns("procedure_history")["same_agent"]
_CONSISTENT = _IMPROVEMENT["relief_consistent_with_agent"]


def agent_concordance(text: str) -> bool | None:
    """What the text says of the relief's fit with the anesthetic: "concordant with bupivacaine"
    true, "not consistent with the lidocaine" false, nothing said None."""
    if _RELIEF["agent_discordant"].search(text):
        return False
    return True if _CONSISTENT.search(text) else None


# a mark on one option of a printed scale: "(85%)", "[85%]", "*85%", "X 85%", "[X] 85%"
_CHOSEN = re.compile(r"(?:[(\[]|[*✓✔☒■]|\b[xX]|\[\s*[xX✓✔]\s*\])\s*$")


# a procedure's result in brackets right after its date in a list ("dual dx MBBs 11/12/24 (85%)
# and 12/03/24 (90%)")
_DATED_RESULT = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{2,4}\s*\(\s*[~≈]?\s*$")


def _scale_options(window: str, percents: list[Any]) -> tuple[set[int], dict[int, int]]:
    """Starts of the percentages on a printed scale ("Best relief (circle one): 50% 60% 70% 80%
    (85%) 90% 100%": three or more side by side) that are not the one marked (a scale with no
    mark, or with several, gives no answer at all), and the marked one's scale start (its label
    is read before the scale)."""
    runs: list[list[Any]] = []
    for percent in percents:
        gap = window[runs[-1][-1].end : percent.start] if runs else None
        if gap is not None and re.fullmatch(r"[\s,/|()\[\]*✓✔☒☐■□xX]*", gap):
            runs[-1].append(percent)
        else:
            runs.append([percent])
    dropped: set[int] = set()
    label_at: dict[int, int] = {}
    for run in (r for r in runs if len(r) >= 3):
        marked = [p for p in run if _CHOSEN.search(window[max(0, p.start - 5) : p.start])]
        keep = marked[0].start if len(marked) == 1 else None
        dropped |= {p.start for p in run if p.start != keep}
        if keep is not None:
            label_at[keep] = run[0].start
    return dropped, label_at


def relief_percents(window: str) -> list[float]:
    """Relief percentages in `window`, sustained figures first; of a printed scale of options,
    only the one marked; with none stated, the fall of a pain score told before and after."""
    found: list[tuple[bool, float]] = []
    percents = find_percents(window)
    unchosen, label_at = _scale_options(window, percents)
    for percent in percents:
        if percent.start in unchosen:
            continue
        value = percent.value if percent.high is None else (percent.value + percent.high) / 2
        if value < 5 or _RELIEF["not_relief"].search(window[percent.end : percent.end + 15]):
            continue
        if _RELIEF["not_relief"].search(window[max(0, percent.start - 6) : percent.start]):
            continue
        if _RELIEF["threshold_before"].search(window[max(0, percent.start - 20) : percent.start]):
            continue
        label = label_at.get(percent.start, percent.start)
        around = window[max(0, label - 40) : percent.end + 40]
        dated = _DATED_RESULT.search(window[max(0, percent.start - 16) : percent.start])
        if dated and find_dates(window[: max(0, percent.start - 16) + dated.start()]):
            continue  # "... 11/12/24 (85%) and 12/03/24 (90%)": the later date's result
        if (
            _RELIEF["relief_words"].search(around)
            or _RELIEF["pain_drop"].search(window[: percent.start])
            or dated
        ):
            near = window[max(0, percent.start - 12) : percent.end + 20]
            found.append((not _RELIEF["sustained"].search(near), value))
    if not found:  # no figure stated: the pain before and after it ("7 -> 1", "from 8 to 2")
        return [drop.value for drop in find_score_drops(window)]
    return [value for _, value in sorted(found, key=lambda item: item[0])]


# Relief still there at a follow-up shows only that it lasted at least that long. A bound under
# three months (the shortest length of relief the guideline asks of any procedure) cannot show
# the length asked for, and read as the length it would deny on a guess: it is left unread, so
# the criterion asks for the relief's length instead.
LOWER_BOUND_MIN_MONTHS = 3.0


def still_better_months(text: str, done: date | None, noted: date | None) -> float | None:
    """Relief still reported at a later note lasted at least from the procedure to then.

    "Then" is the date or the follow-up named by its time ("at the 6-wk call") written just
    before "still" in the sentence ("09/28/2026 still ~60% relief"), else the note's date (a log
    entry's own date, given by the caller). A bound under three months gives None.
    """
    still = _RELIEF["still_better"].search(text)
    if done is None or still is None:
        return None
    dated = find_dates(text[: still.start()])
    named = [
        m for m in _RELIEF["named_time_point"].finditer(text, 0, still.start())
        if still.start() - m.end() <= 30 and not re.search(r"[,;]", text[m.end() : still.start()])
    ]  # fmt: skip
    if named and (not dated or named[-1].start() > dated[-1].start):
        # "at the 6-wk call "still a lot better"": to that call, not to the note
        count, unit = int(named[-1].group("n")), named[-1].group("unit").lower()
        months = float(count) if unit.startswith("mo") else round(count * 7 / 30.44, 2)
        return months if months >= LOWER_BOUND_MIN_MONTHS else None
    when = dated[-1].value if dated else noted
    if when is None or when <= done:
        return None
    months = round((when - done).days / 30.44, 2)
    return months if months >= LOWER_BOUND_MIN_MONTHS else None


def relief_at_time_points(window: str) -> float | None:
    """How long relief of at least half lasted, from a course of follow-ups that report it at
    times after the procedure ("75-80% at 3 mo, 70% at 6 mo, 60% at 8 mo": 8 months; "~70% at the
    6-month visit, still ~60% at 8 months"): the latest such time. One check alone ("60% better
    at 2 weeks") is a time point, not a length, and gives None; unless it is three months or
    more after the procedure ("~60-65% improvement with functional gains at 3 months"): the
    relief lasted at least that long, a lower bound that never falls short of the threshold."""
    held: list[float] = []
    sustained = False
    for match in _RELIEF["at_time_point"].finditer(window):
        percent = int(match.group("pct") or match.group("pct2"))
        count = int(match.group("n") or match.group("n2"))
        unit = (match.group("unit") or match.group("unit2")).lower()
        if 50 <= percent <= 100:
            held.append(count if unit.startswith("mo") else round(count * 7 / 30.44, 2))
            sustained |= bool(_RELIEF["sustained"].search(match.group(0)))
    if len(held) >= 2 or (held and sustained):
        return float(max(held))
    single = round(held[0], 1) if held else 0.0  # a 13-week check is the three-month one
    return single if single >= LOWER_BOUND_MIN_MONTHS else None


def lasted_until(text: str) -> bool:
    """The text says relief lasted until a month ("held until about mid-April")."""
    return _RELIEF["lasted_until"].search(text) is not None


def relief_until_months(text: str, done: date | None, noted: date | None) -> float | None:
    """Relief said to last until a month or a holiday ("relief held until about mid-April", "wore
    off by ~Oct", "gone by the Fourth of July"): from the procedure to that day (the first one
    named so after the procedure), when it is no later than the note."""
    until = _RELIEF["lasted_until"].search(text)
    if done is None or until is None or _RELIEF["hoped"].search(text, 0, until.start()):
        return None
    year = int(until.group("year")) if until.group("year") else done.year
    if until.group("holiday"):  # "gone by the Fourth of July"
        end = holiday_date(until.group("holiday"), year)
        if end is not None and end <= done and not until.group("year"):
            end = holiday_date(until.group("holiday"), year + 1)
        if end is None:
            return None
    else:
        month = MONTH_NUMBERS[until.group("month").lower()]
        day = PART_OF_MONTH_DAY.get(" ".join((until.group("part") or "mid").lower().split()), 15)
        end = date(year, month, day)
        if end <= done and not until.group("year"):
            end = date(done.year + 1, month, day)
    if end <= done or (noted is not None and end > noted):
        return None
    return round((end - done).days / 30.44, 2)


def relief_months(window: str, reference: date | None) -> float | None:
    # "x 12 yrs" is a relief's length only beside a relief word or a percentage ("70% x 4 mo"),
    # not in "Warehouse associate x 12 yrs"
    relief_told = bool(
        _RELIEF["relief_words"].search(window) or re.search(r"\d\s*(?:%|percent)", window)
    )
    if not relief_told and not re.search(r"\blast|\bfor\s+~", window):
        return None
    for duration in find_durations(window, reference=reference):
        if _TIMING["time_point"].search(window[: duration.start]) or duration.since is not None:
            continue
        if _TIMING["look_back"].search(window[: duration.start]):  # "in the last 12 months"
            continue
        if _TIMING["medicine_before"].search(window[max(0, duration.start - 60) : duration.start]):
            continue  # "apixaban held x3 days"
        if re.search(r"(?:[<>]=?|[≥≤])\s*$", window[max(0, duration.start - 4) : duration.start]):
            continue  # a form's criterion or option ("[X] >=50% relief for >=3 months", "<3 mo")
        if _TIMING["time_point_after"].match(window, duration.end):
            continue
        if re.match(r"[\s-]*(?:ago|old)\b", window[duration.end :]):
            continue  # "two years ago", "a sixty-six-year-old"
        near = window[max(0, duration.start - 90) : duration.end + 30]
        if not (
            _RELIEF["relief_words"].search(near)
            or re.search(r"\blast|\bheld|\bfor\s+~", near)
            or (relief_told and re.search(r"\bx\s*~?\d", near))
        ):
            continue  # a duration far from any relief: the pain's, not the relief's
        return round(duration.months, 2)
    for hours in _HOURS.finditer(window):
        before = window[max(0, hours.start() - 30) : hours.start()]
        if _TIMING["kept_for_hours"].search(window[max(0, hours.start() - 30) : hours.start()]):
            continue  # "Pain diary x 24 h": the diary's hours
        before = _TIMING["hedge_before"].sub("", before)  # "lasting about six hours"
        if re.search(r"(?:\bx|\bfor|\blast\w*|~)\s*~?\s*$", before, re.I):
            count = float(hours.group(1)) if hours.group(1) else word_number(hours.group(2))
            return round(count / (24 * 30.44), 4)
    return None


_RESPONSE_FIELDS = ("medication_reduced", "objective_improvement", "somatic_spread_excluded")
_WARMING = re.compile(r"\b(?:rise|rose|risen|increase[sd]?|warm\w*|up)\b|->|→|\+\s*\d", re.I)
# a difference between the limbs on the CRPS exam ("vasomotor Y (1.4 C)", "asymmetry 1.5 C"),
# not a block's warming of the treated limb
_ASYMMETRY = re.compile(
    r"\b(?:vasomotor|asymmetr\w*|Budapest|difference\s+between|side[\s-]to[\s-]side|"
    r"contralateral|cooler|colder)\b",
    re.I,
)


def _block_rises(text: str) -> list[Any]:
    """Temperature rises a block's record reports: a difference with a warming word near it
    ("rise 2.9 C", "28.9 -> 31.8 C"), not the limbs' asymmetry on the CRPS exam."""
    return [
        rise for rise in find_temperature_differences(text)
        if _WARMING.search(text[max(0, rise.start - 60) : rise.end + 20])
        and not _ASYMMETRY.search(text[max(0, rise.start - 60) : rise.start])
    ]  # fmt: skip


def block_response(text: str) -> dict[str, Any]:
    """What a sentence after a block reports of its physiological response: a temperature rise
    ("Rise L foot: 4.8 C", "great toe 28.9 -> 31.8 C (rise 2.9 C)"), medicine spared, touch
    tolerated, no somatic block on the sensory exam."""
    found: dict[str, Any] = {
        name: True for name in _RESPONSE_FIELDS if _IMPROVEMENT[name].search(text)
    }
    rises = _block_rises(text)
    if rises:
        found["temperature_rise_c"] = rises[0].value  # the first named: the treated limb
    return found


_RESULT_REGIONS = patterns("relief", "result_regions")


def result_region_group(text: str) -> str | None:
    """The one region group a result's words tell of ("NECK/ARM: ~70% better": cervicothoracic);
    None when they name none or both."""
    named = {group for group, pattern in _RESULT_REGIONS.items() if pattern.search(text)}
    return named.pop() if len(named) == 1 else None


def region_word(text: str) -> str | None:
    """The spinal region a text's words name when no level is written ("lumbar epidural")."""
    return next((name for name, pattern in _REGION_WORDS.items() if pattern.search(text)), None)


def fill_event(event: dict[str, Any], window: str, reference: date | None) -> None:
    """Set every field still empty from what `window` says."""
    levels = levels_named(window)
    if levels and event.get("levels") is None:
        event["levels"] = levels
        event["region"] = event.get("region") or level_region(levels[0])
    sides = {m.side for m in find_sides(window)}
    if sides and event.get("side") is None:
        event["side"] = "bilateral" if "bilateral" in sides or len(sides) > 1 else sides.pop()
    if event.get("approach") is None:
        event["approach"] = next(
            (n for n, p in APPROACH_PATTERNS.items() if p.search(window)), None
        )
    relief = relief_percents(window)
    if event.get("relief_percent") is None and relief:
        event["relief_percent"] = relief[0]
    elif event.get("relief_percent") is None and _RELIEF["no_relief"].search(window):
        event["relief_percent"] = 0.0  # 'First diagnostic facet block: "no relief".'
    if event.get("relief_duration_months") is None or relief_at_time_points(window):
        stated = (
            relief_months(window, reference)
            or relief_until_months(window, event.get("date"), reference)
            # "12/09/2025 TFESI -> ... at 3/17/26 visit still ~60% better"
            or still_better_months(window, event.get("date"), reference)
        )
        # the longest relief told: "at 4 wk f/u ~70% better; at 3/17/26 visit still ~60% better"
        told = [
            m for m in (stated, relief_at_time_points(window), event.get("relief_duration_months"))
            if m is not None
        ]  # fmt: skip
        event["relief_duration_months"] = max(told) if told else None
    if event.get("purpose") is None:
        purpose = re.search(r"\b(diagnostic|therapeutic)\b", window, re.I)
        event["purpose"] = purpose.group(1).lower() if purpose else None
    for name, pattern in _IMPROVEMENT.items():  # functional_improvement, medication_reduced, ...
        if name != "relief_consistent_with_agent" and event.get(name) is None:
            event[name] = True if pattern.search(window) else None
    if event.get("relief_consistent_with_agent") is None:
        event["relief_consistent_with_agent"] = agent_concordance(window)
    for index, (drug, _, _) in enumerate(_ANESTHETIC_HOURS):
        if event.get(ANESTHETIC) is None and drug.search(window):
            event[ANESTHETIC] = index
    fit_by_hours(event)
    if event.get("temperature_rise_c") is None:
        rises = _block_rises(window)
        event["temperature_rise_c"] = rises[0].value if rises else None
    if event.get("region") is None:
        event["region"] = region_word(window)


def fits_agent(hours: float, anesthetic: int | None) -> bool | None:
    """Whether relief of `hours` lies in the anesthetic's range (None: no agent, or a day or more,
    which is no anesthetic's relief to judge)."""
    if anesthetic is None or hours > 24:
        return None
    _, low, high = _ANESTHETIC_HOURS[anesthetic]
    return low <= hours <= high


def fit_by_hours(event: dict[str, Any]) -> None:
    """Relief consistent with the agent, from its hours against the anesthetic's, when the note
    did not say and both are known."""
    months = event.get("relief_duration_months")
    if event.get("relief_consistent_with_agent") is None and months is not None:
        hours = round(months * 24 * 30.44, 1)  # months are kept to 4 places: 0.0027 is 2 h
        event["relief_consistent_with_agent"] = fits_agent(hours, event.get(ANESTHETIC))


def target_anesthetic(text: str) -> int | None:
    """The one local anesthetic a procedure note gives at the target (an index into
    _ANESTHETIC_HOURS), leaving out the skin's; None when it names none or two."""
    named = {
        index
        for index, (drug, _, _) in enumerate(_ANESTHETIC_HOURS)
        for match in drug.finditer(text)
        if not skin_local(text, match.start())
    }
    return named.pop() if len(named) == 1 else None


def agent_of(concepts: list[ConceptMention]) -> str | None:
    if any(m.category == "DRUG_STEROID" and m.affirmed for m in concepts):
        return "steroid"
    if any(m.category == "DRUG_ANESTHETIC" and m.affirmed for m in concepts):
        return "anesthetic_only"
    return None


def agent_words(text: str) -> str | None:
    if re.search(r"\bno\s+steroid|\banesthetic\s+only|\blidocaine|\bbupivacaine", text, re.I):
        return "anesthetic_only"
    return None


def apply_defaults(event: dict[str, Any], mention: ConceptMention) -> None:
    kind = event["type"]
    if kind != "esi" and kind != "lysis_of_adhesions":
        event["approach"] = None
    if event.get("agent") is None:
        if kind == "esi" and re.search(r"ESI|steroid", mention.text, re.I):
            event["agent"] = "steroid"
        elif kind == "sympathetic_block":
            event["agent"] = "anesthetic_only"
    if event.get("purpose") is None:
        if kind in ("mbb", "snrb", "sacral_lateral_branch"):
            event["purpose"] = "diagnostic"
        # an epidural is a treatment unless the note calls it diagnostic ("a couple of epidurals
        # in the past"); a joint injection is one only with its steroid named
        elif kind == "esi" or (
            event.get("agent") == "steroid" and kind in ("si_injection", "facet_ia")
        ):
            event["purpose"] = "therapeutic"


_PROCEDURE_WORD = patterns("procedure_history")["procedure_word"]
_OTHER_CARE = ("conservative.pt_formal", "conservative.home_program_instructed",
               "conservative.alternative_therapies", "conservative.anti_inflammatory_analgesics",
               "conservative.adjunctive_medications")  # fmt: skip


def about_other_care(sentence: Sentence) -> bool:
    """A sentence that tells of a conservative therapy and of no procedure: its relief, duration
    and improvement are that therapy's."""
    procedure = any(m.category in (*PROCEDURE_TYPES, "PROC_GENERIC") for m in sentence.concepts)
    return any(m.category in _OTHER_CARE and m.affirmed for m in sentence.concepts) and not (
        procedure or _PROCEDURE_WORD.search(sentence.text)
    )
