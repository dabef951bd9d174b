"""Target rules: the concepts the extractor looks for, as regular expressions per category.

A category named like a fact (``neuro.radiculopathy``) is a yes/no concept for that fact;
an upper-case category (``PROC_ESI``, ``DRUG_STEROID``) is a building block that the extraction
rules combine. ``ABSENT_PATTERNS`` are phrases that themselves state absence ("non-radiating",
"sensation intact", "strength 5/5 throughout"): they are matched into the same category with
``is_negated`` already set, so the rules treat them like a ConText-negated mention.

Patterns are matched case-insensitively by medSpaCy's RegexMatcher; ``(?-i:...)`` marks the
case-sensitive parts (``PT`` is physical therapy, ``pt`` is the patient).

The patterns are data: the concept files ``drafting/extraction/lexicons/concepts_*.yaml``, read
as text (medSpaCy compiles them) through `drafting.extraction.lexicons.sources`. A category lives
in one file; ``CONCEPT_PATTERNS`` lists the files' categories in the order of ``_CONCEPT_FILES``
(the target rules are made in that order), each with its patterns in file order.
"""

from __future__ import annotations

from drafting.extraction.lexicons import LexiconError, lexicon_path, sources

_CONCEPT_FILES = (
    "concepts_imaging",  # IMG_* building blocks
    "concepts_pain_function",  # pain.*, function.*, symptoms.*
    "concepts_neuro",  # neuro.*
    "concepts_conservative",  # conservative.*
    "concepts_procedures",  # surgery.*, PROC_*, SURGERY
    "concepts_contra_patient",  # contra.*, patient.*
    "concepts_procedure_specific",  # bvn.*, crps.*, si.*, facet.*, stimulator.*, planned.*
    "concepts_building_blocks",  # DRUG_*, RELIEF, PLAN_CUE
)


def _categories(names: tuple[str, ...]) -> dict[str, list[str]]:
    """category -> its patterns over the files `names`, in order; a category may not repeat."""
    merged: dict[str, list[str]] = {}
    for name in names:
        for category, patterns in sources(name).items():
            if category in merged:
                problem = "is a category of an earlier concept file already"
                raise LexiconError(lexicon_path(name), category, problem)
            merged[category] = list(patterns)
    return merged


CONCEPT_PATTERNS: dict[str, list[str]] = _categories(_CONCEPT_FILES)
ABSENT_PATTERNS: dict[str, list[str]] = _categories(("concepts_absent",))
