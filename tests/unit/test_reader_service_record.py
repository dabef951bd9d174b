"""The note of the requested service (a retrospective review): where its body says the needle
went (levels, side, region), a procedure repeated on the other side, a lesion temperature given
without its unit, and radiofrequency under its other names. Positive and negated forms."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value


def _record(body: str, heading: str, code: str) -> object:
    text = f"PREOPERATIVE DIAGNOSIS: Spondylosis.\n\nPROCEDURE: {heading}\n\nDETAILS: {body}"
    return documents_facts(("Procedure note", "2026-09-10", text), code=code)


@pytest.mark.parametrize(
    ("body", "levels", "side"),
    [
        ("A left paramedian insertion was marked. The L4-L5 interspace was identified.",
         ["L4-L5"], "left"),
        ("The needle was advanced into the epidural space at L5-S1 using a paramedian approach.",
         ["L5-S1"], None),
        # a landmark counted from, or a template's general description, is not the site
        ("The foramen was identified by counting down from the L2-3 foramen.", None, None),
        ("For a L5 dorsal ramus block, the needle is placed at the base of the S1 process.",
         None, None),
        ("The patient tolerated it well. Follow up with Dr. Smith at the L4 clinic.", None, None),
    ],
)  # fmt: skip
def test_the_records_body_says_where_the_needle_went(
    body: str, levels: list[str] | None, side: str | None
) -> None:
    found = _record(body, "Lumbar epidural steroid injection.", "62323")
    assert value(found, "planned.procedure_type") == "esi"
    assert value(found, "planned.levels") == levels
    assert value(found, "planned.side") == side
    assert value(found, "planned.region") == "lumbar"  # from the level, else the heading's word


@pytest.mark.parametrize(
    ("body", "side"),
    [
        ("The needle was passed to the C4-5 facet joint. Needle was removed and the same "
         "procedure carried out on the other side.", "bilateral"),
        ("The needle was passed to the C4-5 facet joint. This exact same procedure was then "
         "repeated on the opposite side.", "bilateral"),
        ("The needle was passed to the C4-5 facet joint on the left. The needle was removed.",
         "left"),
        ("The needle was passed to the C4-5 facet joint. The needle was removed.", None),
    ],
)  # fmt: skip
def test_a_procedure_repeated_on_the_other_side_is_bilateral(body: str, side: str | None) -> None:
    found = _record(body, "CERVICAL FACET JOINT INJECTION.", "64490")
    assert value(found, "planned.levels") == ["C4-C5"]
    assert value(found, "planned.side") == side


@pytest.mark.parametrize(
    ("body", "temperature", "technique"),
    [
        ("A radiofrequency lesioning was then done at 65 degrees for 60 seconds.", 65.0,
         ["thermal"]),
        ("A lesion was created at 85 degrees Celsius for 90 seconds.", 85.0, ["thermal"]),
        ("Pulsed radiofrequency at 42 degrees for 120 seconds.", 42.0, ["pulsed"]),
        # an angle is not a temperature
        ("The C-arm was rotated 45 degrees oblique. The needle was placed.", None, None),
        ("The needle was placed on the medial branch.", None, None),
    ],
)  # fmt: skip
def test_a_lesion_temperature_without_its_unit_is_celsius(
    body: str, temperature: float | None, technique: list[str] | None
) -> None:
    found = _record(body, "Radiofrequency thermocoagulation (RFTC), medial branch.", "64633")
    assert value(found, "planned.procedure_type") == "rfa_medial_branch"  # RFTC is an RFA
    assert value(found, "planned.temperature_c") == temperature
    assert value(found, "planned.technique") == technique


def test_an_epidural_notes_degrees_are_not_a_lesion_temperature() -> None:
    found = _record("The table was tilted 60 degrees. Needle at L4-L5.", "Lumbar ESI.", "62323")
    assert value(found, "planned.temperature_c") is None
    assert value(found, "planned.technique") is None


@pytest.mark.parametrize(
    ("heading", "code", "kind"),
    [
        # an ablation of the S2/S3 nerves is of the sacral lateral branches (the SI joint's)
        ("Bilateral L5, S1, S2, and S3 radiofrequency ablation.", "64625", "sacral_lateral_branch"),
        ("Right S1-S3 lateral branch radiofrequency neurotomy.", "64625", "sacral_lateral_branch"),
        # an L5-S1 facet ablation names S1 only as part of its segment
        ("Bilateral L4-5 and L5-S1 radiofrequency ablation.", "64635", "rfa_medial_branch"),
    ],
)
def test_an_ablation_at_the_sacral_nerves_is_the_sacral_lateral_branches(
    heading: str, code: str, kind: str
) -> None:
    found = _record("Fluoroscopy was used. Lesions at 80 degrees for 90 seconds.", heading, code)
    assert value(found, "planned.procedure_type") == kind


@pytest.mark.parametrize(
    ("heading", "body", "code", "approach"),
    [
        # where the needle went names the approach the heading leaves out
        ("Cervical selective nerve root block.", "A 25-gauge spinal needle was passed down to the "
         "C6 neural foramen under fluoroscopic control.", "64479", "transforaminal"),
        ("Lumbar epidural steroid injection.", "A #20-gauge Tuohy epidural needle was placed into "
         "the epidural space at L4-L5 using a paramedian approach.", "62323", "interlaminar"),
        ("Right L5-S1 intralaminar epidural steroid injection.", "The patient tolerated it well.",
         "62323", "interlaminar"),
        # foraminal stenosis named as the indication says nothing of the needle
        ("Epidural steroid injection.", "Indication: L5-S1 neural foraminal stenosis. "
         "The injection was uneventful.", "62323", None),
    ],
)  # fmt: skip
def test_the_needles_path_names_the_approach(
    heading: str, body: str, code: str, approach: str | None
) -> None:
    assert value(_record(body, heading, code), "planned.approach") == approach


@pytest.mark.parametrize(
    ("body", "injectate"),
    [
        # a consent's list of medications that might be used is not what was injected
        ("I also informed the patient of potential side effects or reactions to the medications "
         "potentially used during the procedure including sedatives, contrast agents, anesthetics,"
         " and corticosteroids. At each level 0.5 mL of 0.5% bupivacaine was injected.",
         ["anesthetic"]),
        # outside a consent the same drugs are the injectate
        ("At each level 0.5 mL of 0.5% bupivacaine and 10 mg dexamethasone were injected.",
         ["steroid", "anesthetic"]),
    ],
)  # fmt: skip
def test_a_consents_list_of_medications_is_not_the_injectate(
    body: str, injectate: list[str]
) -> None:
    found = _record(body, "Bilateral L4-5 and L5-S1 medial branch blocks.", "64493")
    assert sorted(value(found, "planned.injectate")) == sorted(injectate)


@pytest.mark.parametrize(
    ("body", "temperature"),
    [
        ("Conventional thermal lesioning at eighty degrees for ninety seconds per lesion.", 80.0),
        ("Lesions at sixty-five degrees for sixty seconds.", 65.0),
        # an angle in words is no lesion temperature
        ("The C-arm was rotated forty-five degrees oblique.", None),
    ],
)
def test_a_lesion_temperature_in_words(body: str, temperature: float | None) -> None:
    found = _record(body, "Bilateral L4-5 and L5-S1 radiofrequency ablation.", "64635")
    assert value(found, "planned.temperature_c") == temperature
