"""The reader on imaging as a whole: a study read as normal, and studies of two regions cited
with the same date (positive and negated forms)."""

from __future__ import annotations

import pytest

from criteria.facts import ImagingStudy
from drafting.extraction.rules import extract_facts
from tests.reader_facts import note_case


def _studies(text: str, *reports: tuple[str, str, str]) -> list[ImagingStudy]:
    case = note_case(("Office note", "2026-09-01", text), *reports, code="62323")
    return extract_facts(case).imaging.studies or []


def _normal(studies: list[ImagingStudy]) -> bool | None:
    flags = [f.normal_study for s in studies for f in s.findings if f.level is None]
    return next((flag for flag in flags if flag is not None), None)


@pytest.mark.parametrize(
    ("sentence", "normal"),
    [
        ("Lumbar MRI scan (08/01/2026). The study is unremarkable.", True),
        ("The MRI essentially came back negative, but the patient still has leg pain.", True),
        ("MRI of the lumbar spine 08/01/2026: normal MRI of the lumbar spine.", True),
        # one part of the study, what is left after a finding, or one question: not the whole study
        ("MRI lumbar spine 08/01/2026: normal alignment, mild L4-5 facet arthropathy.", None),
        ("MRI of the lumbar spine 08/01/2026 was normal except for a small L4-5 protrusion.", None),
        ("The MRI was normal, but showed a small annular fissure.", None),
        ("MRI of the lumbar spine 08/01/2026 came back negative for fracture.", None),
        ("MRI lumbar spine 08/01/2026: L4-5 disc bulge, otherwise unremarkable MRI.", None),
        ("MRI of the lumbar spine 08/01/2026 is not normal.", None),
    ],
)
def test_a_study_read_as_normal(sentence: str, normal: bool | None) -> None:
    assert _normal(_studies(f"HPI: low back and leg pain. {sentence}")) is normal


def test_a_normal_study_records_no_herniation_and_no_compression() -> None:
    studies = _studies("HPI: back pain. Lumbar MRI scan (08/01/2026). The study is unremarkable.")
    whole = next(f for s in studies for f in s.findings if f.normal_study)
    assert (whole.level, whole.herniation, whole.root_compression) == (None, False, False)


def test_two_regions_imaged_the_same_day_are_two_studies() -> None:
    text = (
        "RADIOLOGY: Cervical MRI scan (1/15/2026). There is no apparent disc protrusion.\n\n"
        "RADIOLOGY: Lumbar MRI scan (1/15/2026). The study is unremarkable."
    )
    regions = sorted(str(s.region) for s in _studies(text))
    assert regions == ["cervical", "lumbar"]


def test_the_region_named_next_to_a_study_is_its_own() -> None:
    text = "Attached: MRI C-spine 07/18/2026, MRI L-spine 06/02/2026 (radiologist reports)."
    dated = {s.date.isoformat(): s.region for s in _studies(text) if s.date}
    assert dated.get("2026-07-18") == "cervical"  # not the lumbar region named later


def _levels(text: str) -> dict[str, dict[str, object]]:
    return {
        f.level: f.model_dump(exclude_none=True, exclude={"evidence", "level"})
        for s in _studies(f"HPI: neck and arm pain. {text}")
        for f in s.findings
        if f.level
    }


@pytest.mark.parametrize(
    ("sentence", "level", "stenosis"),
    [
        ("MRI C-spine 06/21/2026: bilateral neuroforaminal encroachment at C5-6.", "C5-C6",
         "foraminal"),
        ("MRI C-spine 06/21/2026: at C5-6 the stenosis is in the left neural foramen.", "C5-C6",
         "foraminal"),
        # a new main clause names another level's finding: the narrowing stays where it was said
        ("MRI C-spine 06/21/2026: moderate stenosis at C5-6. The stenosis is in the bilateral "
         "neural foramina and there is also a disc herniation at C6-7.", "C6-C7", None),
    ],
)  # fmt: skip
def test_the_site_of_a_narrowing(sentence: str, level: str, stenosis: str | None) -> None:
    assert _levels(sentence)[level].get("stenosis") == stenosis


@pytest.mark.parametrize(
    ("sentence", "side"),
    [
        ("MRI C-spine 05/19/2026: narrowing of the foramen on the right at C4-C5.", "right"),
        ("MRI C-spine 05/19/2026: left foraminal narrowing at C4-C5.", "left"),
        # a sentence that goes on to correct the side: the side told after is not the finding's
        (
            "MRI C-spine 05/19/2026: the report described narrowing of the foramen on the left at "
            "C4-C5; the addendum corrects it to RIGHT foraminal narrowing at C4-C5.",
            "right",
        ),
    ],
)
def test_the_side_told_after_a_narrowing(sentence: str, side: str) -> None:
    assert _levels(sentence)["C4-C5"].get("side") == side


@pytest.mark.parametrize(
    ("header", "radiologist"),
    [
        ("SUMMIT REGIONAL IMAGING\nMRI THORACIC SPINE WITHOUT CONTRAST", True),
        ("Lakeside Imaging Associates\nMRI LUMBAR SPINE", True),
        ("MRI LUMBAR SPINE", None),
    ],
)
def test_a_report_from_an_imaging_practice_is_the_radiologists(
    header: str, radiologist: bool | None
) -> None:
    report = f"{header}\nFINDINGS: L5-S1 left protrusion.\nIMPRESSION: L5-S1 left protrusion."
    studies = _studies("HPI: left leg pain.", ("MRI lumbar spine report", "2026-08-01", report))
    assert next(s.independent_radiologist for s in studies if s.modality == "mri") is radiologist


@pytest.mark.parametrize(
    ("foot", "read"),
    [
        # a report cut off before its impression and signature is no complete radiologist's read
        ("L4-5: Disc desiccation with\n\n      (continued on page 2)\n      Page 1 of 2", None),
        ("L4-5: Disc desiccation.\nIMPRESSION: Mild degenerative change.\nRead by: A. B, MD", True),
    ],
)
def test_a_report_cut_off_is_no_complete_read(foot: str, read: bool | None) -> None:
    from tests.reader_facts import documents_facts

    report = (
        "CITY RADIOLOGY GROUP\nMRI LUMBAR SPINE WITHOUT CONTRAST\nExam date: 08/20/2026\n"
        f"FINDINGS:\nL3-4: Mild disc bulge. Canal and foramina patent.\n{foot}"
    )
    found = documents_facts(
        ("Office note", "2026-09-01", "HPI: left leg pain.\nPlan: L L4-5 TFESI."),
        ("MRI lumbar spine report", "2026-08-20", report),
        code="64483",
    )
    studies = found.imaging.studies or []
    assert [s.independent_radiologist for s in studies][:1] == [read]


@pytest.mark.parametrize(
    ("imaging", "read"),
    [
        # a clinician's own look at the CD, the report not received, is no radiologist's read
        ("Imaging: MRI cervical spine 8/1/2026 at Harborview Open MRI. I personally reviewed the "
         "images on the CD he brought: R C6-7 foraminal protrusion. The formal radiology report "
         "was not sent with him.", None),
        ("Imaging: MRI cervical spine 8/1/2026 at Harborview Open MRI, read by Dr. X "
         "(radiology): R C6-7 foraminal protrusion.", True),
    ],
)  # fmt: skip
def test_a_clinicians_look_at_the_cd_is_no_radiologists_read(
    imaging: str, read: bool | None
) -> None:
    from tests.reader_facts import documents_facts

    found = documents_facts(
        ("Spine surgery consult", "2026-09-02", f"HPI: right arm pain, C7.\n{imaging}"),
        code="64479",
    )
    studies = found.imaging.studies or []
    assert [s.independent_radiologist for s in studies][:1] == [read]


_FIRST_READ = """MRI CERVICAL SPINE WITHOUT CONTRAST
Date of exam: 03/02/2026
Findings:
Postoperative change: anterior plate and interbody graft at C5-6, solid fusion.
C4-5: moderate right facet arthropathy. Foramina patent.
C6-7: small central disc protrusion.
Impression: Prior ACDF C5-6. C4-5 facet arthropathy.
Radiologist: P. Lund, MD
"""


def _findings(addendum: str) -> dict[str, set[str]]:
    report = ("MRI cervical spine report", "2026-03-09", _FIRST_READ + addendum)
    studies = _studies("HPI: neck pain. Plan: cervical MBB.", report)
    by_level: dict[str, set[str]] = {}
    for study in studies:
        for finding in study.findings:
            flags = {k for k, v in finding.model_dump().items() if v is True}
            by_level.setdefault(finding.level or "", set()).update(flags)
    return by_level


def test_an_addendum_that_recounts_the_levels_replaces_the_first_read() -> None:
    found = _findings(
        "\nADDENDUM 03/09/2026: Level numbering corrected after counting from C2 on the "
        "localizer. The fusion is at C6-7, not C5-6. Facet arthropathy is at C5-6.\n"
    )
    assert "fusion" in found["C6-C7"] and "fusion" not in found.get("C5-C6", set())
    assert "facet_arthrosis" not in found.get("C4-C5", set())


def test_an_addendum_revises_the_levels_it_speaks_of_only() -> None:
    found = _findings(
        "\nAddendum: On re-review, C6-7 shows a left foraminal disc extrusion compressing the "
        "left C7 root.\n"
    )
    assert {"herniation", "root_compression"} <= found["C6-C7"]
    assert "fusion" in found["C5-C6"] and "facet_arthrosis" in found["C4-C5"]


def test_an_addendum_with_no_finding_leaves_the_read_as_it_was() -> None:
    found = _findings("\nADDENDUM: Findings discussed with Dr. Okoro by phone at 14:10.\n")
    assert "fusion" in found["C5-C6"] and "facet_arthrosis" in found["C4-C5"]


@pytest.mark.parametrize(
    ("header", "study_date"),
    [
        ("Date of exam: 03/02/2026", "2026-03-02"),
        ("EXAM DATE: 03/02/2026   REPORTED: 03/09/2026", "2026-03-02"),
        # no exam date told: the report's own date
        ("Reported: 03/09/2026", "2026-03-09"),
    ],
)
def test_a_study_is_dated_by_its_exam(header: str, study_date: str) -> None:
    report = ("MRI lumbar spine report", "2026-03-09",
              f"MRI LUMBAR SPINE\n{header}\nFindings: L4-5: small disc bulge.\n")  # fmt: skip
    [study] = _studies("HPI: back pain. Plan: MBB.", report)
    assert str(study.date) == study_date
