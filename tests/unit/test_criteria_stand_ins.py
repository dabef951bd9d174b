"""Facts filled from other documented facts, and named SI tests in canonical form (fact_values)."""

from __future__ import annotations

import pytest

from criteria.fact_values import canonical_si_test, values_from_plain
from criteria.facts import STAND_IN_FACTS, fact_names


def test_stand_in_names_are_vocabulary() -> None:
    assert set(STAND_IN_FACTS) <= set(fact_names())


def test_pt_weeks_stand_in_for_conservative_duration() -> None:
    values = values_from_plain({"conservative.pt_weeks": 8}).values
    assert values["conservative.duration_weeks"] == 8


def test_documented_duration_is_kept() -> None:
    values = values_from_plain(
        {"conservative.pt_weeks": 8, "conservative.duration_weeks": 3}
    ).values
    assert values["conservative.duration_weeks"] == 3


def test_no_pt_weeks_leaves_duration_undocumented() -> None:
    values = values_from_plain({"conservative.pt_formal": True}).values
    assert "conservative.duration_weeks" not in values


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"pain.axial": True, "neuro.radicular_pain": False}, True),
        ({"pain.axial": True, "neuro.radicular_pain": True}, None),
        ({"pain.axial": True}, None),
        (
            {"pain.axial": True, "neuro.radicular_pain": False, "pain.axial_predominant": False},
            False,
        ),
    ],
)
def test_axial_without_limb_pain_is_predominantly_axial(
    facts: dict[str, bool], expected: bool | None
) -> None:
    assert values_from_plain(facts).values.get("pain.axial_predominant") == expected


def test_contrast_in_injectate_documents_contrast() -> None:
    assert values_from_plain({"planned.injectate": ["steroid", "contrast"]}).values[
        "planned.contrast"
    ]
    assert "planned.contrast" not in values_from_plain({"planned.injectate": ["steroid"]}).values


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("FABER", "faber"),
        ("Patrick's", "faber"),
        ("Gaenslen's test", "gaenslen"),
        ("thigh thrust", "thigh_thrust"),
        ("ASIS distraction", "pelvic_distraction"),
        ("FADIR", "fadir"),
    ],
)
def test_si_test_names_are_canonical(written: str, canonical: str) -> None:
    assert canonical_si_test(written) == canonical


def test_si_tests_are_canonical_in_values() -> None:
    plain = {"si.provocative_tests_positive": ["FABER", "Patrick's", "thigh thrust"]}
    assert values_from_plain(plain).values["si.provocative_tests_positive"] == [
        "faber",
        "thigh_thrust",
    ]
