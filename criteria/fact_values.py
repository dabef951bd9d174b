"""Flattening ``CaseFacts``: to the plain values the engine reads, and to the compact JSON form.

``fact_values(facts)`` is computed once per case: a dict from dotted name to plain value (events
become dicts, levels are normalised to ``L4-L5`` form, derived names are added) plus the evidence
of each name. ``compact_facts`` gives the result contract's ``{name: {value, quote, document}}``;
``facts_from_compact`` reads it back (gold cases are annotated in that form). Absent facts that
other documented facts imply are filled per ``criteria.facts.STAND_IN_FACTS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from criteria import levels
from criteria.facts import AT_LEAST, EVENT_LISTS, CaseFacts, Event, Evidence, Fact, fact_names
from criteria.quote_scope import limb_region_group

_LEVEL = re.compile(r"^\s*([CTLS])\s*(\d{1,2})\s*(?:[-/–]\s*([CTLS])?\s*(\d{1,2}))?\s*$", re.I)
_GROUPS = [g for g in CaseFacts.model_fields if g != "list_evidence"]
_REGION_GROUP = {
    "cervical": "cervicothoracic",
    "thoracic": "cervicothoracic",
    "lumbar": "lumbosacral",
    "sacral": "lumbosacral",
}


def level_or_text(level: str) -> str:
    """Lenient `criteria.levels.normalize_level`: ``l4-5`` -> ``L4-L5``; unreadable text kept."""
    try:
        return levels.normalize_level(level)
    except ValueError:
        return level.strip()


def level_vertebrae(level: str) -> set[str]:
    """The vertebrae a level names: ``L4-L5`` -> {L4, L5}; ``L5`` -> {L5}."""
    return set(level_or_text(level).split("-"))


def region_group(region: str | None) -> str | None:
    """cervical/thoracic -> cervicothoracic; lumbar/sacral -> lumbosacral."""
    return _REGION_GROUP.get(region or "")


@dataclass
class FactValues:
    """Plain values by dotted name (absent name = not documented) and the evidence behind each."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)

    def with_values(self, extra: dict[str, Any]) -> FactValues:
        """A copy with extra values (e.g. ``line.*``) layered on top."""
        return FactValues({**self.values, **extra}, self.evidence)


def _event_dict(name: str, event: Event) -> dict[str, Any]:
    data = {k: getattr(event, k) for k in type(event).model_fields if k != "evidence"}
    if isinstance(data.get("levels"), list):
        data["levels"] = [level_or_text(v) for v in data["levels"]]
    if isinstance(data.get("level"), str):
        data["level"] = level_or_text(data["level"])
    if "findings" in data:
        data["findings"] = [_event_dict("imaging.findings", f) for f in data["findings"]]
    if name in ("procedures.prior", "surgery.prior"):
        data["region_group"] = region_group(data.get("region"))
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [level_or_text(v) if isinstance(v, str) and _LEVEL.match(v) else v for v in value]
    return value


def fact_values(facts: CaseFacts) -> FactValues:
    """Flatten a CaseFacts to plain values; adds the derived names of ``DERIVED_FACTS``."""
    out = FactValues()
    for group_name in _GROUPS:
        group = getattr(facts, group_name)
        for field_name in type(group).model_fields:
            name, stored = f"{group_name}.{field_name}", getattr(group, field_name)
            if stored is None:
                continue
            if isinstance(stored, Fact):
                out.values[name] = _plain(stored.value)
                if stored.evidence:
                    out.evidence[name] = list(stored.evidence)
            elif name in EVENT_LISTS:
                out.values[name] = [_event_dict(name, e) for e in stored]
                out.evidence[name] = [
                    *facts.list_evidence.get(name, []),
                    *(ev for e in stored for ev in e.evidence),
                ]
            elif isinstance(stored, BaseModel) or (
                isinstance(stored, list) and stored and isinstance(stored[0], BaseModel)
            ):
                out.values[name] = stored
            elif stored != []:
                out.values[name] = _plain(stored)
    if facts.imaging.studies is not None:
        _derive_imaging(out, facts)
    if facts.procedures.prior is not None:
        _derive_block_intervals(out.values["procedures.prior"])
    if facts.surgery.prior is not None:
        fusions = [s for s in out.values["surgery.prior"] if s["type"] == "fusion"]
        fusion_levels = {lv for s in fusions for lv in s["levels"] or []}
        out.values["surgery.fusion_levels"] = sorted(fusion_levels)
    _derive_si_exam_timing(out, facts)
    _derive_radicular_limb(out)
    dermatome = out.values.get("neuro.radicular_dermatome")
    if isinstance(dermatome, str) and _level_group(dermatome) is not None:
        out.values["neuro.radicular_region_group"] = _level_group(dermatome)
        out.evidence["neuro.radicular_region_group"] = out.evidence.get(
            "neuro.radicular_dermatome", []
        )
    else:
        _radiculopathy_named_by_region(out)
    _canonical_names(out)
    _fill_stand_ins(out)
    return out


_SI_TEST_SYNONYMS = {
    "patrick": "faber",
    "patrick/faber": "faber",
    "asis_distraction": "pelvic_distraction",
    "sacral_compression": "sacral_thrust",
    "iliac_compression": "lateral_iliac_compression",
}
_SI_TEST_NOISE = re.compile(r"'s\b|\b(?:test|maneuver|manoeuvre)s?\b|[+]", re.I)


def canonical_si_test(name: str) -> str:
    """A named SI test in the criteria's form: ``"Gaenslen's test"`` -> ``gaenslen``."""
    words = _SI_TEST_NOISE.sub(" ", name).strip().lower()
    key = re.sub(r"[\s-]+", "_", words).strip("_")
    return _SI_TEST_SYNONYMS.get(key, key)


def _canonical_names(out: FactValues) -> None:
    """Named test lists in the criteria's canonical spelling (notes write them many ways)."""
    tests = out.values.get("si.provocative_tests_positive")
    if isinstance(tests, list):
        canonical = [canonical_si_test(t) for t in tests if isinstance(t, str)]
        out.values["si.provocative_tests_positive"] = list(dict.fromkeys(canonical))


def _fill_stand_ins(out: FactValues) -> None:
    """Fill the absent names of ``STAND_IN_FACTS`` from the documented facts that imply them."""
    values, evidence = out.values, out.evidence

    def carry(name: str, value: Any, *sources: str) -> None:
        values[name] = value
        found = [ev for source in sources for ev in evidence.get(source, [])]
        if found:
            evidence[name] = found

    pt_weeks = values.get("conservative.pt_weeks")
    if "conservative.duration_weeks" not in values and isinstance(pt_weeks, int | float):
        carry("conservative.duration_weeks", pt_weeks, "conservative.pt_weeks")
        values["conservative.duration_weeks" + AT_LEAST] = True  # the course may have run longer
    if (
        "pain.axial_predominant" not in values
        and values.get("pain.axial") is True
        and values.get("neuro.radicular_pain") is False
    ):
        carry("pain.axial_predominant", True, "pain.axial", "neuro.radicular_pain")
    injectate = values.get("planned.injectate")
    if "planned.contrast" not in values and isinstance(injectate, list) and "contrast" in injectate:
        carry("planned.contrast", True, "planned.injectate")


_POSITIVE_MBB_RELIEF = 80  # "a positive response (defined as at least 80% or more relief ...)"
_DUAL_BLOCK_WINDOW_DAYS = 183  # the radiofrequency neurotomy's "within the last 6 months"


_RADICULAR = ("neuro.radicular_pain", "neuro.radiculopathy")


_RADICULOPATHY_REGION = re.compile(
    r"\b(cervical|thoracic|lumbar|lumbosacral)(?=(?:\s+(?:and|&|/|or)\s+(?:cervical|thoracic|"
    r"lumbar|lumbosacral))*\s+radiculopath)|"
    r"\bradiculopath\w*,?\s+(?:of\s+the\s+)?(cervical|thoracic|lumbar|lumbosacral)\b",
    re.IGNORECASE,
)
_GROUP_OF_WORD = {"cervical": "cervicothoracic", "thoracic": "cervicothoracic",
                  "lumbar": "lumbosacral", "lumbosacral": "lumbosacral"}  # fmt: skip


def _radiculopathy_named_by_region(out: FactValues) -> None:
    """`neuro.radicular_region_group` with no dermatome: the region its quotes name the
    radiculopathy by ("Dx: M54.12 Radiculopathy, cervical region"), when they name one."""
    if out.values.get("neuro.radiculopathy") is not True:
        return
    evidence = out.evidence.get("neuro.radiculopathy", [])
    named = {
        _GROUP_OF_WORD[(m.group(1) or m.group(2)).lower()]
        for e in evidence for m in _RADICULOPATHY_REGION.finditer(e.quote)
    }  # fmt: skip
    if len(named) == 1:
        out.values["neuro.radicular_region_group"] = named.pop()
        out.evidence["neuro.radicular_region_group"] = evidence[:3]


def _derive_radicular_limb(out: FactValues) -> None:
    """`neuro.radicular_limb_region_group`: the region group whose roots serve the limb the
    affirmed radicular facts' quotes name (leg: lumbosacral; arm: cervicothoracic)."""
    evidence = [e for name in _RADICULAR if out.values.get(name) is True
                for e in out.evidence.get(name, [])]  # fmt: skip
    group = limb_region_group([e.quote for e in evidence])
    if group is not None:
        out.values["neuro.radicular_limb_region_group"] = group
        out.evidence["neuro.radicular_limb_region_group"] = evidence[:3]


_SI_EXAM = ("si.sulcus_tenderness", "si.provocative_tests_positive")


def _derive_si_exam_timing(out: FactValues, facts: CaseFacts) -> None:
    """`si.exam_after_last_injection`: whether the sacroiliac exam is told in a document dated
    after the latest dated sacroiliac joint injection (the repeat exam), from the documents'
    dates; absent when either is undated."""
    dates = facts.request.document_dates
    injections = [
        event for event in facts.procedures.prior or []
        if event.type == "si_injection" and event.date is not None
        and event.administered is not False
    ]  # fmt: skip
    evidence = [e for name in _SI_EXAM for e in out.evidence.get(name, [])]
    dated = [
        (e, dates[e.document]) for e in evidence
        if 0 <= e.document < len(dates) and dates[e.document] is not None
    ]  # fmt: skip
    if not injections or not dated:
        return
    last = max(event.date for event in injections if event.date is not None)
    after = [e for e, when in dated if when is not None and when > last]
    latest = next(event for event in injections if event.date == last)
    out.values["si.exam_after_last_injection"] = bool(after)
    out.evidence["si.exam_after_last_injection"] = after or [
        *(e for e, _ in dated[:2]),
        *latest.evidence[:1],
    ]


def _derive_block_intervals(events: list[dict[str, Any]]) -> None:
    """``days_after_first_positive_block`` on each dated medial branch block.

    See ``criteria.facts.DERIVED_EVENT_FIELDS``.

    The facet neurotomy needs dual blocks "on two separate occasions at least one week apart";
    the logic grammar compares an event's date with the request date only, so the interval
    between two blocks is computed here: the days from the first dated block at an overlapping
    level (or either without levels) with at least 80% relief in the 6 months up to this block.
    The first positive block itself has 0; a block no positive block precedes has none.
    """
    blocks = [e for e in events if e.get("type") == "mbb" and isinstance(e.get("date"), date)]
    positive = [e for e in blocks if (e.get("relief_percent") or 0) >= _POSITIVE_MBB_RELIEF]
    for block in blocks:
        earlier = [
            p["date"]
            for p in positive
            if 0 <= (block["date"] - p["date"]).days <= _DUAL_BLOCK_WINDOW_DAYS
            and _same_site(p.get("levels"), block.get("levels"))
        ]
        if earlier:
            block["days_after_first_positive_block"] = (block["date"] - min(earlier)).days


def _same_site(first: list[str] | None, second: list[str] | None) -> bool:
    return not first or not second or bool(set(first) & set(second))


def _level_group(level: str | None) -> str | None:
    """cervicothoracic or lumbosacral from a level's first letter ("C5-C6" -> cervicothoracic)."""
    letter = (level or "")[:1].upper()
    return {
        "C": "cervicothoracic",
        "T": "cervicothoracic",
        "L": "lumbosacral",
        "S": "lumbosacral",
    }.get(letter)


def _derive_imaging(out: FactValues, facts: CaseFacts) -> None:
    findings: list[dict[str, Any]] = []
    evidence: list[Evidence] = []
    advanced_dates: list[date] = []
    for study in facts.imaging.studies or []:
        if study.modality in ("mri", "ct", "ct_myelogram") and study.date is not None:
            advanced_dates.append(study.date)
        for finding in study.findings:
            row = _event_dict("imaging.findings", finding)
            row.update(
                modality=study.modality,
                date=study.date,
                region=study.region,
                region_group=region_group(study.region) or _level_group(finding.level),
                independent_radiologist=study.independent_radiologist,
            )
            findings.append(row)
            evidence.extend(finding.evidence or study.evidence)
    studies = facts.imaging.studies or []
    if findings:  # a study read without findings says nothing about what was not seen
        out.values["imaging.findings"] = findings
        out.evidence["imaging.findings"] = evidence
    out.values["imaging.advanced_completed"] = any(
        s.modality in ("mri", "ct", "ct_myelogram") for s in studies
    )
    if advanced_dates:
        out.values["imaging.latest_advanced_date"] = max(advanced_dates)


def values_from_plain(plain: dict[str, Any]) -> FactValues:
    """Plain ``{name: value}`` (YAML examples, tests) -> FactValues, validating names and events.

    Event lists are validated through their models, so a misspelt event field fails here.
    """
    facts = CaseFacts()
    extra: dict[str, Any] = {}
    known = set(fact_names())
    for name, value in plain.items():
        if name not in known:
            raise KeyError(f"unknown fact name {name!r}; see criteria.facts.fact_names()")
        if name.startswith("line.") or name.startswith("request.") or name in _DERIVED_INPUT:
            extra[name] = _plain(value)
        else:
            facts.set(name, value)
    return fact_values(facts).with_values(extra)


_DERIVED_INPUT = {
    "imaging.latest_advanced_date",
    "imaging.advanced_completed",
    "surgery.fusion_levels",
    "si.exam_after_last_injection",
    "neuro.radicular_region_group",
    "neuro.radicular_limb_region_group",
}


def compact_facts(facts: CaseFacts) -> dict[str, dict[str, Any]]:
    """The result contract's ``facts`` map: ``{name: {value, quote, document}}`` (JSON-ready)."""
    out: dict[str, dict[str, Any]] = {}
    for group_name in _GROUPS:
        if group_name == "request":
            continue
        group = getattr(facts, group_name)
        for field_name in type(group).model_fields:
            stored = getattr(group, field_name)
            if stored is None:
                continue
            name = f"{group_name}.{field_name}"
            if isinstance(stored, Fact):
                first = stored.evidence[0] if stored.evidence else None
                value = stored.model_dump(mode="json")["value"]
            else:
                value = [_compact_event(e) for e in stored]
                listed = facts.list_evidence.get(name, [])
                events = (e.evidence[0] for e in stored if e.evidence)
                first = listed[0] if listed else next(events, None)
            out[name] = {
                "value": value,
                "quote": first.quote if first else None,
                "document": first.document if first else None,
            }
    return out


def _compact_event(event: Event) -> dict[str, Any]:
    data = event.model_dump(mode="json", exclude={"evidence"}, exclude_none=True)
    if "findings" in data:
        data["findings"] = [_compact_event(f) for f in event.findings]  # type: ignore[attr-defined]
    if event.evidence:
        data["quote"] = event.evidence[0].quote
        data["document"] = event.evidence[0].document
    return data


def facts_from_compact(compact: dict[str, Any], request: dict[str, Any] | None = None) -> CaseFacts:
    """Rebuild CaseFacts from the compact map (the inverse of ``compact_facts``)."""
    facts = CaseFacts()
    if request:
        facts.request = type(facts.request).model_validate(request)
    for name, entry in compact.items():
        facts.set(name, entry)
    return facts
