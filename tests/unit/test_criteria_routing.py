"""Routing: add-ons and drugs follow their primary; unlisted codes; 64483; notification only."""

from __future__ import annotations

import pytest

from criteria.facts import fact_names
from criteria.facts_needed import ROUTING_FACTS, facts_needed, stand_in_sources
from criteria.loader import CriteriaLibrary, load_library
from tests.criteria_cases import decide_compact, epidural_library
from tests.epidural_facts import CAUDA_EQUINA, COMPLETE, TFESI


@pytest.fixture(scope="module")
def library() -> CriteriaLibrary:
    return epidural_library()


def test_every_code_in_the_table_is_routed(library: CriteriaLibrary) -> None:
    assert {c.code for c in library.codes} <= set(library.routing.routes)


def test_addon_follows_primary(library: CriteriaLibrary) -> None:
    services = [*TFESI, {"code": "64484", "side": "left", "levels": ["L5-S1"]}]
    primary, addon = decide_compact(library, services, COMPLETE)
    assert primary.decision == addon.decision == "approved"
    assert addon.follows == "64483"
    denied = decide_compact(library, services, {**COMPLETE, **CAUDA_EQUINA})
    assert [d.decision for d in denied] == ["denied", "denied"]


def test_addon_levels_count_toward_the_primary_line(library: CriteriaLibrary) -> None:
    services = [
        {"code": "64483", "side": "left", "levels": ["L4-L5"]},
        {"code": "64484", "side": "left", "levels": ["L5-S1"]},
        {"code": "64484", "side": "left", "levels": ["L3-L4"]},
    ]
    primary = decide_compact(library, services, COMPLETE)[0]
    assert primary.decision == "denied"
    limit = next(c for c in primary.criteria if c.id == "epidural.limit.transforaminal_two")
    assert limit.facts["line.injection_count"] == 3


def test_addon_without_primary_pends(library: CriteriaLibrary) -> None:
    (line,) = decide_compact(library, [{"code": "64484", "levels": ["L5-S1"]}], COMPLETE)
    assert line.decision == "pended"
    assert "no primary procedure line" in line.reasons[0]


def test_drug_code_follows_and_sets_the_purpose(library: CriteriaLibrary) -> None:
    facts = {k: v for k, v in COMPLETE.items() if k != "planned.injectate"}
    primary, drug = decide_compact(library, [*TFESI, {"code": "J1040"}], facts)
    assert primary.purpose == "therapeutic" and "steroid drug code" in (primary.route or "")
    assert drug.decision == primary.decision and drug.follows == "64483"


def test_unknown_code_pends_as_outside_the_guideline(library: CriteriaLibrary) -> None:
    (line,) = decide_compact(library, [{"code": "64999"}], {"planned.target": "other"})
    assert line.decision == "pended" and line.out_of_scope
    assert "not listed" in line.reasons[0]


def test_sacral_lateral_branch_rfa_with_unlisted_code_denies(library: CriteriaLibrary) -> None:
    facts = {"planned.target": "sacral_lateral_branches", "planned.technique": ["cooled"]}
    (line,) = decide_compact(library, [{"code": "64999"}], facts)
    assert line.decision == "denied" and not line.out_of_scope
    denying = [c for c in line.criteria if c.effect == "deny"]
    assert [c.id for c in denying] == ["scope.exclusion.sacral_lateral_branch_rfa"]
    assert denying[0].passage == "sacroiliac/exclusions/1"
    (listed,) = decide_compact(library, [{"code": "64625"}], {})
    assert listed.decision == "denied"


def test_unlisted_medial_branch_cryoablation_denies(library: CriteriaLibrary) -> None:
    facts = {"planned.target": "medial_branch", "planned.technique": ["cryo"]}
    (line,) = decide_compact(library, [{"code": "64640"}], facts)
    assert line.decision == "denied"


THERAPEUTIC_ONLY = {**COMPLETE, "surgery.considered": False}


def test_64483_purpose_from_plan_and_injectate(library: CriteriaLibrary) -> None:
    diagnostic = {**THERAPEUTIC_ONLY, "planned.injectate": ["anesthetic"]}
    line = decide_compact(library, TFESI, diagnostic)[0]
    assert line.purpose == "diagnostic" and line.sets == ["epidural.diagnostic_snrb"]
    assert line.decision == "pended"  # no surgical consult documented: asked for, not denied
    stated = {
        **THERAPEUTIC_ONLY,
        "planned.purpose": "therapeutic",
        "planned.injectate": ["anesthetic"],
    }
    line = decide_compact(library, TFESI, stated)[0]
    assert line.purpose == "therapeutic" and line.decision == "approved"


def test_64483_without_purpose_is_evaluated_both_ways(library: CriteriaLibrary) -> None:
    unknown = {k: v for k, v in THERAPEUTIC_ONLY.items() if k != "planned.injectate"}
    line = decide_compact(library, TFESI, unknown)[0]
    assert line.decision == "pended"
    assert "planned.purpose" in line.missing
    assert {a.purpose: a.decision for a in line.alternatives} == {
        "therapeutic": "approved",
        "diagnostic": "pended",
    }
    assert "evaluated both ways" in line.reasons[0]
    both_deny = {**unknown, **CAUDA_EQUINA}
    line = decide_compact(library, TFESI, both_deny)[0]
    assert line.decision == "denied" and len(line.alternatives) == 2


def test_notification_only_rule(library: CriteriaLibrary) -> None:
    services = [{"code": "62322", "levels": ["L4-L5"]}]
    (line,) = decide_compact(library, services, {}, diagnoses=("G89.18",))
    assert line.decision == "approved" and line.notification_only
    assert line.criteria[0].passage.startswith("epidural/")
    (reviewed,) = decide_compact(library, services, COMPLETE, diagnoses=("M54.16",))
    assert not reviewed.notification_only and reviewed.decision == "denied"  # no imaging guidance


def test_placeholder_section_codes_pend_with_their_reason(library: CriteriaLibrary) -> None:
    primary, addon = decide_compact(library, [{"code": "64493"}, {"code": "64494"}], {})
    assert primary.decision == "pended" and "not encoded" in primary.reasons[0]
    assert addon.decision == "pended" and addon.follows == "64493"


def test_ultrasound_facet_code_is_denied(library: CriteriaLibrary) -> None:
    (line,) = decide_compact(library, [{"code": "0216T"}], {})
    assert line.decision == "denied"


# --- which facts an extractor is asked for ---------------------------------------------------


@pytest.fixture(scope="module")
def full_library() -> CriteriaLibrary:
    return load_library()


def test_facts_needed_follow_the_section_of_the_requested_code(
    full_library: CriteriaLibrary,
) -> None:
    bvn = facts_needed(["64628"], full_library)
    sacroiliac = facts_needed(["27096"], full_library)
    assert "bvn.supervised_care_months" in bvn and "patient.bmi" in bvn
    assert not any(name.startswith(("si.", "stimulator.")) for name in bvn)
    assert "si.provocative_tests_positive" in sacroiliac
    assert not any(name.startswith(("bvn.", "stimulator.")) for name in sacroiliac)


def test_facts_needed_cover_every_purpose_and_followed_definitions(
    full_library: CriteriaLibrary,
) -> None:
    names = facts_needed(["64483"], full_library)  # therapeutic ESI or diagnostic SNRB
    assert "surgery.considered" in names  # read only by the diagnostic nerve root block
    assert "procedures.prior" in names  # repeat-injection rules
    assert "conservative.pt_weeks" in names  # the stand-in for conservative care duration
    assert set(ROUTING_FACTS) <= set(names)


def test_unlisted_codes_need_the_procedure_attributes_and_drug_codes_need_nothing_new(
    full_library: CriteriaLibrary,
) -> None:
    unlisted = facts_needed(["64999"], full_library)
    assert {"planned.target", "planned.technique"} <= set(unlisted)
    assert set(facts_needed(["J1040"], full_library)) == set(ROUTING_FACTS)


def test_every_needed_name_is_in_the_vocabulary(full_library: CriteriaLibrary) -> None:
    known = set(fact_names())
    for entry in full_library.codes:
        assert set(facts_needed([entry.code], full_library)) <= known, entry.code


def test_stand_in_sources_are_read_from_the_vocabulary() -> None:
    assert stand_in_sources("conservative.duration_weeks") == {"conservative.pt_weeks"}
    assert stand_in_sources("pain.axial_predominant") == {"pain.axial", "neuro.radicular_pain"}
    assert stand_in_sources("pain.score") == set()
