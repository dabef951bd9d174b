"""What a plan says about its own procedure, and not about another one requested with it: the
side a sentence sets aside or measures, an "investigational" remark on a second procedure, two
alternatives never done the same day, and a consultation only booked (positive and negated)."""

from __future__ import annotations

import pytest

from tests.reader_facts import facts, value


@pytest.mark.parametrize(
    ("plan", "side"),
    [
        ("Plan: L stellate ganglion block under fluoroscopy, right side NOT involved.", "left"),
        ("Plan: L lumbar sympathetic block, L3; bilateral great toe temps pre/post.", "left"),
        ("Plan: lumbar sympathetic block, L3  [ ] Right  [x] Left  [ ] Bilateral", "left"),
        ("Plan: bilateral lumbar sympathetic blocks, L3.", "bilateral"),
        ("Plan: left and right lumbar sympathetic blocks at L3.", "bilateral"),
    ],
)
def test_the_side_of_the_planned_block(plan: str, side: str) -> None:
    found = facts(f"HPI: CRPS of the left foot.\n{plan}", code="64520")
    assert value(found, "planned.side") == side


_ESI = "1. R L5-S1 transforaminal ESI, fluoroscopy with contrast, dexamethasone 10 mg."


@pytest.mark.parametrize(
    ("plan", "approved"),
    [
        # the remark follows the second procedure: it is that procedure's
        (f"{_ESI}\n2. L4-5 intradiscal allograft, CPT 0627T. Payers consider this "
         "investigational.", None),
        (f"{_ESI} Payers consider this injection investigational.", False),
        (f"{_ESI}\nThe steroid is not FDA approved for epidural use.", False),
    ],
)  # fmt: skip
def test_an_investigational_remark_belongs_to_the_procedure_it_follows(
    plan: str, approved: bool | None
) -> None:
    found = facts(f"HPI: right leg pain.\nPLAN:\n{plan}", code="64483")
    assert value(found, "planned.fda_approved") is approved


@pytest.mark.parametrize(
    ("sentence", "same_session"),
    [
        ("These are alternatives - we will do one of them, never both on the same day.", []),
        ("The two injections are not on the same date.", []),
        ("Both injections will be done on the same day.", None),
        ("L4-5 interlaminar ESI. Target 11/23/2026 (different day from RFA).", []),
        ("The SI injection will be on a separate day than the blocks.", []),
        ("Pain is different from day to day.", None),
    ],
)
def test_alternatives_never_done_together(sentence: str, same_session: list[str] | None) -> None:
    found = facts(f"HPI: leg pain.\nPlan: caudal epidural steroid injection. {sentence}", "62323")
    assert value(found, "planned.same_session_procedures") == same_session


@pytest.mark.parametrize(
    ("sentence", "consult"),
    [
        ("Surgical consultation: [ ] Completed  [X] Referred - appt 11/19/2026.", None),
        ("Spine surgery consultation 08/02/2026: Dr. Castellanos considers a decompression.", True),
    ],
)
def test_a_booked_consultation_is_not_one_held(sentence: str, consult: bool | None) -> None:
    found = facts(f"HPI: right leg pain.\n{sentence}", code="64483")
    assert value(found, "surgery.consult") is consult


@pytest.mark.parametrize(
    ("plan", "levels"),
    [
        # the second block of the pair: the levelless first block was at the plan's levels
        ("Request: bilateral medial branch block L4-5 and L5-S1 (second set of blocks).",
         ["L4-L5", "L5-S1"]),
        ("Plan: confirmatory MBB bilateral L4-5 and L5-S1.", ["L4-L5", "L5-S1"]),
        # a plan that does not call itself the second block says nothing of the first's levels
        ("Plan: bilateral medial branch block L4-5 and L5-S1.", None),
    ],
)  # fmt: skip
def test_a_second_block_continues_the_levelless_first(plan: str, levels: list[str] | None) -> None:
    found = facts(f"HPI: axial low back pain.\nFirst diagnostic facet block: 'no relief'.\n{plan}")
    [block] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert block.levels == levels


def test_a_first_block_that_names_its_levels_keeps_them() -> None:
    found = facts(
        "HPI: axial low back pain.\nFirst diagnostic MBB right L3-4 on 06/02/2026: no relief.\n"
        "Request: bilateral medial branch block L4-5 and L5-S1 (second set of blocks)."
    )
    [block] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert block.levels == ["L3-L4"]


@pytest.mark.parametrize(
    "aside",
    [
        "If the back pain turns out to be the main problem, we could think about medial branch "
        "blocks, but that is not something we are planning now.",
        "Medial branch blocks are not planned.",
    ],
)
def test_a_procedure_set_aside_in_the_plan_is_not_planned(aside: str) -> None:
    plan = (
        "HPI: left leg pain.\nPLAN:\n1. Left L5-S1 transforaminal epidural steroid injection, "
        f"dexamethasone 10 mg.\n2. {aside}"
    )
    found = facts(plan, code="64483")
    assert value(found, "planned.procedure_type") == "esi"
    assert value(found, "planned.side") == "left"  # one procedure planned: its details are read


@pytest.mark.parametrize(
    ("plan", "kind", "side"),
    [
        # the verb names the joint: one side told for two joints side by side is theirs
        ("Dr. A will plan on injecting her right sacroiliac and facet joints under fluoroscopy.",
         "si_injection", "right"),
        ("We will inject the left SI joint under fluoroscopy today.", "si_injection", "left"),
        # one procedure a time point of the other: the side is not shared
        ("Right SI joint injection, then on a separate date a left L4-5 medial branch block.",
         "si_injection", None),
        # the verb with no joint names no procedure
        ("She was injecting insulin twice daily.", None, None),
    ],
)  # fmt: skip
def test_a_plan_told_with_the_verb_inject(plan: str, kind: str | None, side: str | None) -> None:
    found = facts(f"HPI: right low back pain.\nRECOMMENDATIONS: {plan}", code="27096")
    assert value(found, "planned.procedure_type") == kind
    assert value(found, "planned.side") == side


@pytest.mark.parametrize(
    ("order", "volume"),
    [
        # the order's short form names the procedure; a limit is no volume given
        ("Order: L SIJ dx inj (27096), fluoro + contrast, 2% lidocaine 1.0 mL (do not exceed "
         "1.5 mL), NO steroid.", 1.0),
        ("Order: L SIJ dx inj (27096), fluoro + contrast, 2% lidocaine 1.0 mL + 1.5 mL "
         "bupivacaine, NO steroid.", 2.5),
    ],
)  # fmt: skip
def test_an_orders_short_form_and_its_volume_limit(order: str, volume: float) -> None:
    found = facts(f"HPI: left buttock pain.\nPlan:\n - {order}", code="27096")
    assert value(found, "planned.procedure_type") == "si_injection"
    assert value(found, "planned.volume_cc") == volume


def _other_codes(separate: list[str] | None) -> dict[str, list[str]]:
    from criteria.line_facts import build_line_facts

    request, codes = _lines(
        ("62321", "cervical epidural"), ("64493", "lumbar MBB"), ("27096", "SI")
    )
    values = {"planned.separate_session_sections": separate} if separate else {}
    return {
        code: build_line_facts(request, index, values).other_codes or []  # type: ignore[arg-type]
        for index, code in enumerate(codes)
    }


@pytest.mark.parametrize(
    ("separate", "expected"),
    [
        # nothing said: every line of the request shares the day
        (None, {"62321": ["64493", "27096"], "64493": ["62321", "27096"],
                "27096": ["62321", "64493"]}),
        # the SI injection on a date of its own; the epidural and the block done together
        (["sacroiliac"], {"62321": ["64493"], "64493": ["62321"], "27096": []}),
        # every line on its own date
        (["all"], {"62321": [], "64493": [], "27096": []}),
    ],
)  # fmt: skip
def test_a_section_the_plan_puts_on_its_own_date_shares_no_session(
    separate: list[str] | None, expected: dict[str, list[str]]
) -> None:
    assert _other_codes(separate) == expected


@pytest.mark.parametrize(
    ("plan", "apart"),
    [
        ("1. C7-T1 ILESI and bilateral L4-5 MBB the same morning to spare the drive.\n"
         "2. R SI joint injection, fluoro w/ contrast. Schedule SEPARATE date - not same day as "
         "other spine procedures.", ["sacroiliac"]),
        ("1. Repeat R SI joint injection, fluoro w/ contrast.\n"
         "   -> Separate date - 2 weeks after the cervical ESI.", ["sacroiliac"]),
        ("MBB and ESI on different dates (ESI first).", ["epidural", "facet"]),
        ("Other procedures same day: [ ] Yes  [X] No", ["all"]),
        ("1. C7-T1 ILESI and bilateral L4-5 MBB and R SI injection, all the same morning.", None),
    ],
)  # fmt: skip
def test_the_sections_a_plan_sets_apart(plan: str, apart: list[str] | None) -> None:
    found = facts(f"HPI: neck, low back and buttock pain.\nPlan:\n{plan}", code="27096")
    assert value(found, "planned.separate_session_sections") == apart


def _lines(*services: tuple[str, str]) -> tuple[object, list[str]]:
    import datetime as dt

    from criteria.facts import CaseFacts, ServiceLine
    from criteria.line_facts import RequestLines
    from criteria.loader import load_library

    case = CaseFacts()
    case.request.date = dt.date(2026, 11, 24)
    case.request.lines = [ServiceLine(code=c, description=d, units=1) for c, d in services]
    case.request.codes = [c for c, _ in services]
    return RequestLines(case, load_library()), case.request.codes


@pytest.mark.parametrize(
    ("drug", "primary"),
    [
        # a drug line follows the line its description names, else the one that gives a drug
        ("Dexamethasone 1 mg (10 mg with the cervical transforaminal injection)", "64479"),
        ("Dexamethasone 1 mg", "64479"),
        ("Triamcinolone 10 mg (with the facet joint injection)", "64493"),
    ],
)
def test_a_drug_line_follows_the_procedure_it_is_given_with(drug: str, primary: str) -> None:
    request, codes = _lines(
        ("64493", "Facet joint injection, lumbar - diagnostic medial branch block #1"),
        ("64479", "Transforaminal epidural injection, cervical"),
        ("J1100", drug),
    )
    assert codes[request.primary_of(2)] == primary  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("description", "target"),
    [
        ("Injection(s), paravertebral facet joint (or nerves) - diagnostic medial branch block #1",
         "medial_branch"),
        ("Injection(s), paravertebral facet joint (or nerves), lumbar; single level", None),
    ],
)  # fmt: skip
def test_a_facet_lines_own_words_name_its_target(description: str, target: str | None) -> None:
    from criteria.line_facts import build_line_facts

    request, _ = _lines(("64493", description))
    assert build_line_facts(request, 0, {}).target == target  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("plan", "contrast"),
    [
        # an allergy named beside the plan is not the plan's contrast
        ("L L4-5 TFESI, fluoro + contrast (no contrast allergy - had CT w/ contrast 2023).", True),
        ("L L4-5 TFESI under fluoroscopy, no contrast (iodine allergy).", False),
    ],
)
def test_no_contrast_allergy_is_no_contrast_withheld(plan: str, contrast: bool) -> None:
    found = facts(f"HPI: left leg pain.\nPlan: {plan}", code="64483")
    assert value(found, "planned.contrast") is contrast


def test_a_numbered_plan_item_goes_on_through_its_sub_items() -> None:
    plan = (
        "PLAN:\n1.\nConfirmatory MBB #2 - bilateral C3-4 and C4-5, same targets, fluoroscopy.\n"
        "   - Switch to bupivacaine 0.5% so the duration can be compared.\n"
        '   - She asked if we could "put the steroid in this time".\n'
        "Will add dexamethasone 4 mg total (2 mg per side).\n2.\nSame diary with clock times."
    )
    found = facts(f"HPI: axial neck pain.\n{plan}", code="64490")
    assert value(found, "planned.injectate") == ["anesthetic", "steroid"]
