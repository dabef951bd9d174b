"""Pure parsers for the quantities clinical notes state, each returned with its character span.

Owns: pain scores, percentages (relief), durations, dates, spinal levels, sides, BMI, temperature
differences, impaired ADLs/IADLs and bone-density T-scores. Every `find_*` function scans a text and
returns mentions in order; `start`/`end` index the scanned text (`text[start:end] == mention.text`).
No NLP model, and no I/O but the word lexicons read once at import (`drafting.extraction.lexicons`):
the clinical-NLP layer (`drafting.extraction.clinical_nlp`) decides which mentions count
(negation, history, hypotheticals); these functions only read numbers and words.
Modules: `mentions` (models), `scores`, `calendar`, `anatomy`, `activities`.
"""

from drafting.extraction.quantities.activities import find_adls, find_impaired_adls
from drafting.extraction.quantities.anatomy import (
    find_levels,
    find_sides,
    level_region,
    normalize_levels,
    normalize_side,
)
from drafting.extraction.quantities.calendar import (
    find_date_ranges,
    find_dates,
    find_durations,
    parse_date,
    past_months,
)
from drafting.extraction.quantities.mentions import (
    AdlMention,
    DateMention,
    DateRange,
    Duration,
    LevelMention,
    Mention,
    NumberMention,
    PainScore,
    Percent,
    Region,
    Side,
    SideMention,
)
from drafting.extraction.quantities.scores import (
    find_bmi,
    find_pain_scores,
    find_percents,
    find_score_drops,
    find_t_scores,
    find_temperature_differences,
)

__all__ = [
    "AdlMention",
    "DateMention",
    "DateRange",
    "Duration",
    "LevelMention",
    "Mention",
    "NumberMention",
    "PainScore",
    "Percent",
    "Region",
    "Side",
    "SideMention",
    "find_adls",
    "find_bmi",
    "find_date_ranges",
    "find_dates",
    "find_durations",
    "find_impaired_adls",
    "find_levels",
    "find_pain_scores",
    "find_percents",
    "find_score_drops",
    "find_sides",
    "find_t_scores",
    "find_temperature_differences",
    "level_region",
    "normalize_levels",
    "normalize_side",
    "parse_date",
    "past_months",
]
