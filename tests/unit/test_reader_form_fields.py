"""What the plan's first sentence does not say: a request form's ticked fields (guidance, contrast,
purpose and injectate are the options ticked, never the unticked ones), and the plan's other
sentences on the same procedure (a letter's heading "Plan:" and its closing plan paragraph);
British spelling of the local anaesthetic. Positive and negated (unticked, "No" ticked) forms."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

_NOTE = ("Office note", "2026-09-01", "HPI: right T8 band pain.\nPlan: right T8-9 TFESI.")


def _form(fields: str) -> object:
    form = ("Prior authorization request", "2026-09-02", f"3. SERVICE REQUESTED\n{fields}\n")
    return documents_facts(_NOTE, form, code="64479")


@pytest.mark.parametrize(
    ("fields", "guidance", "contrast"),
    [
        ("Guidance: ☒ Fluoroscopy  ☐ CT  ☐ None        Contrast: ☒ Yes  ☐ No", "fluoroscopy",
         True),
        ("Guidance: [ ] Fluoroscopy  [x] CT        Contrast: [ ] Yes  [x] No", "ct", False),
        # nothing ticked: nothing read
        ("Guidance: ☐ Fluoroscopy  ☐ CT        Contrast: ☐ Yes  ☐ No", None, None),
        # a field label without its colon, an option that says both
        ("Guidance: [x] fluoroscopy [ ] CT     Contrast [x] yes", "fluoroscopy", True),
        ("Guidance: [X] Fluoroscopy with contrast   [ ] CT   [ ] None", "fluoroscopy", True),
        ("Guidance: [ ] Fluoroscopy with contrast   [X] CT   [ ] None", "ct", None),
    ],
)  # fmt: skip
def test_the_ticked_guidance_and_contrast(
    fields: str, guidance: str | None, contrast: bool | None
) -> None:
    found = _form(fields)
    assert value(found, "planned.guidance") == guidance
    assert value(found, "planned.contrast") is contrast


@pytest.mark.parametrize(
    ("fields", "purpose", "injectate"),
    [
        ("Injectate: ☒ Corticosteroid (dexamethasone)  ☒ Local anesthetic  ☐ Other\n"
         "Purpose: ☐ Diagnostic (anesthetic only)  ☒ Therapeutic", "therapeutic",
         ["steroid", "anesthetic"]),
        ("Injectate: [ ] Corticosteroid  [x] Local anaesthetic\nPurpose: [x] Diagnostic  "
         "[ ] Therapeutic", "diagnostic", ["anesthetic"]),
        ("Injectate: ☐ Corticosteroid  ☐ Local anesthetic\nPurpose: ☐ Diagnostic  ☐ Therapeutic",
         None, None),
    ],
)  # fmt: skip
def test_the_ticked_purpose_and_injectate(
    fields: str, purpose: str | None, injectate: list[str] | None
) -> None:
    found = _form(fields)
    assert value(found, "planned.purpose") == purpose
    assert value(found, "planned.injectate") == injectate


@pytest.mark.parametrize(
    ("closing", "guidance", "contrast"),
    [
        ("Plan: I have recommended a right SI joint injection under fluoroscopic guidance, with "
         "contrast to confirm intra-articular spread.", "fluoroscopy", True),
        ("Plan: I have recommended a right SI joint injection without contrast (allergy).", None,
         False),
        # another procedure's plan says nothing of this one
        ("Plan: a lumbar MRI under sedation, with contrast.", None, None),
    ],
)  # fmt: skip
def test_the_plans_other_sentences_on_the_same_procedure(
    closing: str, guidance: str | None, contrast: bool | None
) -> None:
    letter = (
        "Re: Mrs A\nDiagnosis: Right sacroiliac joint pain.\nPlan: Right SI joint injection "
        f"(steroid with local anaesthetic).\n\nHPI: right buttock pain for a year.\n\n{closing}"
    )
    found = documents_facts(("Clinic letter", "2026-09-01", letter), code="27096")
    assert value(found, "planned.guidance") == guidance
    assert value(found, "planned.contrast") is contrast
    assert value(found, "planned.injectate")[:2] == ["steroid", "anesthetic"]


@pytest.mark.parametrize(
    ("plan", "injectate"),
    [
        ("Plan: caudal ESI, dexamethasone 10 mg + 8 mL PF saline. No catheter adhesiolysis, no "
         "hypertonic saline.", ["steroid", "saline"]),
        ("Plan: caudal epidural with 10 mL hypertonic saline and dexamethasone.",
         ["steroid", "hypertonic_saline"]),
    ],
)  # fmt: skip
def test_an_agent_the_plan_rules_out_is_not_injected(plan: str, injectate: list[str]) -> None:
    note = ("Office note", "2026-09-01", f"HPI: leg pain after a 2023 discectomy.\n{plan}")
    assert value(documents_facts(note, code="62323"), "planned.injectate") == injectate


def test_a_pre_procedure_review_names_the_request_not_a_prior_injection() -> None:
    review = (
        "Interventional pain pre-procedure review",
        "2026-09-10",
        "PAIN & SPINE - PRE-PROCEDURE REVIEW\nProcedure requested: right C6-7 interlaminar "
        "epidural steroid injection, dexamethasone 10 mg. Initial cervical ESI - no prior "
        "epidural injections.\nScreening:\n- Anticoagulants: none",
    )
    found = documents_facts(review, code="62321")
    assert found.procedures.prior == []
    assert value(found, "planned.procedure_type") == "esi"


@pytest.mark.parametrize(
    ("options", "purpose"),
    [
        ("☐ Interlaminar ESI   ☒ Transforaminal ESI   ☐ Selective nerve root block (diagnostic, "
         "anesthetic only)", None),
        ("☐ Interlaminar ESI   ☐ Transforaminal ESI   ☒ Selective nerve root block (diagnostic, "
         "anesthetic only)", "diagnostic"),
    ],
)  # fmt: skip
def test_an_unticked_options_words_are_not_the_plans(options: str, purpose: str | None) -> None:
    form = ("Prior authorization request", "2026-09-02", f"Procedure requested:\n{options}\n")
    note = ("Office note", "2026-09-01", "HPI: right L5 radicular pain for 4 months.")
    found = documents_facts(note, form, code="64483")
    assert value(found, "planned.purpose") == purpose


@pytest.mark.parametrize(
    ("plan", "guidance", "contrast"),
    [
        # a line that introduces the plan's list says how each listed procedure is done
        ("Plan:\nSame session under fluoroscopy with contrast:\n1. Right T8-9 TFESI, "
         "dexamethasone 10 mg.\n2. Right T8-9 facet injection.", "fluoroscopy", True),
        # a heading that says nothing of how is no lead-in; nor a line before other text
        ("Plan:\n1. Right T8-9 TFESI, dexamethasone 10 mg.", None, None),
        ("Plan:\nUnder fluoroscopy with contrast last time:\nHe tolerated it.\n"
         "Right T8-9 TFESI, dexamethasone 10 mg.", None, None),
    ],
)  # fmt: skip
def test_a_plans_lead_in_line_applies_to_its_list(
    plan: str, guidance: str | None, contrast: bool | None
) -> None:
    found = documents_facts(("Office note", "2026-09-01", f"HPI: right T8 band pain.\n{plan}"),
                            code="64479")  # fmt: skip
    assert value(found, "planned.guidance") == guidance
    assert value(found, "planned.contrast") is contrast


@pytest.mark.parametrize(
    ("fields", "injectate"),
    [
        # a field labelled by the drug class it asks for ("Steroid: [X] dexamethasone")
        ("Local anesthetic: [X] bupivacaine 0.5%   [ ] lidocaine 2%\n"
         "Steroid:   [X] dexamethasone PF 10 mg/mL    [ ] triamcinolone    [ ] none",
         ["anesthetic", "steroid"]),
        ("Local anesthetic: [X] bupivacaine 0.5%   [ ] lidocaine 2%\n"
         "Steroid:   [ ] dexamethasone PF 10 mg/mL    [ ] triamcinolone    [X] none",
         ["anesthetic"]),
    ],
)  # fmt: skip
def test_a_field_named_for_its_drug_class(fields: str, injectate: list[str]) -> None:
    assert value(_form(fields), "planned.injectate") == injectate
