"""Yes/no facts read straight from concept mentions, as one declarative table.

Each `BooleanRule` names a fact whose concept category
(``drafting.extraction.clinical_nlp.concepts``) has the same name. Resolution: any affirmed mention
(not negated, hypothetical or family history; uncertain ones only when `uncertain_counts`) makes the
fact true, quoting up to three sentences; otherwise a negated mention makes it false, but only when
`absence_matters` (the guideline asks for the absence: "no radicular pain", "no prior fusion",
contraindications); otherwise the fact stays undocumented. With `clinician_outranks_patient`, a
clinician's explicit statement of absence ("-> not radicular") outranks mentions that are only
the patient's own words ("shooting down my leg" per pt, a questionnaire tick). `kinds` limits
the documents read, `sections` the sections. With `exam_outranks_history`, what the examination
section says of a sign ("sensation intact L4-S1") outranks what the history says ("occasional
tingling"). Spine and limb sites (for `spine_only`) are data
(`lexicons/body_sites.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.lexicons import patterns, words
from drafting.extraction.quantities import find_sides
from drafting.extraction.rules.reader import CaseDocument, CaseReader, DocumentKind
from drafting.extraction.rules.request_form import requested_sides

MAX_EVIDENCE = 3
_ALL_KINDS: tuple[DocumentKind, ...] = ("clinic", "imaging", "pt", "procedure", "surgical", "other")
_NOT_IMAGING: tuple[DocumentKind, ...] = ("clinic", "pt", "procedure", "surgical", "other")
_NOTES: tuple[DocumentKind, ...] = ("clinic", "surgical", "other")


@dataclass(frozen=True)
class BooleanRule:
    """How one yes/no fact is read from its concept mentions."""

    fact: str
    absence_matters: bool = True
    uncertain_counts: bool = False
    kinds: tuple[DocumentKind, ...] = _NOT_IMAGING
    sections: frozenset[str] | None = None
    skip_sections: frozenset[str] = field(default_factory=lambda: frozenset({"family"}))
    skip_planned: bool = False
    hypothetical_counts: bool = False
    # a conclusion about candidacy ("an appropriate candidate for SCS"): "candidate" alone does not
    # make it hypothetical, a condition in the sentence ("if", "once", "would") still does
    candidacy: bool = False
    clinician_outranks_patient: bool = False  # an explicit "not radicular" beats "per pt: shooting"
    spine_only: bool = False  # a finding named at a limb site ("radius fracture") does not count
    exam_outranks_history: bool = False  # "sensation intact L4-S1" on exam beats HPI "tingling"
    ended_is_absent: bool = False  # a medicine "DISCONTINUED 01/2020" is not taken now
    imaging_only: bool = False  # only a sentence about imaging says it (flexion/extension films)
    # a passing state: its absence now ("afebrile today", "fever resolved 9/29") outranks an
    # earlier presence ("flu 9/24-9/29 w/ fever"), and one dated months before the note
    # ("neck strain after MVA 02/2025") is not acute
    passing: bool = False
    # clinical_state.yaml patterns: a mention told of the past ("during her second pregnancy")
    # is not today's (past_words), and an answer that it is absent now ("not pregnant", "urine
    # hCG negative": answer_words) outranks mentions of it
    past_words: str | None = None
    # a finding told of the other side than a one-sided request ("Prior SI fusion: LEFT (2023) -
    # injection requested on RIGHT") is not the requested joint's
    side_scoped: bool = False
    # a condition a note says resolved in its own clause ("L5 radiculopathy (M54.16) - RESOLVED
    # after TFESI 6/16") outranks the mentions of it in that note and older ones
    resolution_outranks: bool = False
    answer_words: str | None = None
    # clinical_state.yaml pattern pair: a note whose assessment puts the limb pain down to a cause
    # outside the spine (a vascular surgeon's "intermittent claudication of the right calf due to
    # a mid-SFA occlusion") and names no spinal one: its limb-pain mentions are not this fact's
    other_cause_words: str | None = None
    # clinical_state.yaml pattern: a sentence whose limb pain is another structure's referred
    # pain ("into the back of the R thigh, stops above the knee", "it stops at the shoulder
    # blade") affirms no radicular pain
    referred_words: str | None = None
    # a disease its sentence calls in remission ("Prostate cancer 2014 treated with
    # prostatectomy, PSA has been undetectable") is history, unless the sentence says it is back
    remission_counts: bool = True


def _rules() -> list[BooleanRule]:
    rule = BooleanRule
    exam = frozenset({"exam", "assessment", "plan", "impression", "preamble", "treatment", "hpi"})
    return [
        rule("pain.axial", kinds=_NOTES),
        rule("pain.axial_predominant", kinds=_NOTES),
        rule("pain.disproportionate"),
        rule("function.impairment", kinds=_NOTES),
        rule("symptoms.new_onset", absence_matters=False, kinds=_NOTES),
        rule("symptoms.recurrent", absence_matters=False, kinds=(*_NOTES, "procedure")),
        rule(
            "neuro.radicular_pain",
            kinds=_NOTES,
            skip_sections=frozenset({"family", "plan"}),
            clinician_outranks_patient=True,
            other_cause_words="limb_pain_other_cause",
            referred_words="referred_pain",
        ),
        rule("neuro.dermatomal_sensory_change", kinds=_NOTES, sections=exam,
             exam_outranks_history=True),
        rule("neuro.myotomal_weakness", kinds=_NOTES, sections=exam, exam_outranks_history=True),
        rule("neuro.reflex_change", kinds=_NOTES, sections=exam, exam_outranks_history=True),
        rule("neuro.radiculopathy", uncertain_counts=True, kinds=(*_NOTES, "pt"),
             resolution_outranks=True),
        rule("neuro.neurogenic_claudication", kinds=_NOTES, clinician_outranks_patient=True),
        rule("neuro.myelopathy", kinds=_NOTES),
        rule("neuro.cord_signal_change", kinds=_ALL_KINDS),
        rule("neuro.new_neurologic_deficit", kinds=_NOTES),
        rule("neuro.radicular_acute", absence_matters=False, kinds=_NOTES),
        # a form's ticked therapy yields to the clinician's "she never went"; therapy only
        # scheduled or planned ("First eval scheduled 10/20 at Coastal PT") is not yet care given
        rule(
            "conservative.pt_formal", kinds=(*_NOTES, "pt"), clinician_outranks_patient=True,
            skip_planned=True,
        ),
        rule("conservative.pt_exception", absence_matters=False),
        rule("conservative.home_program_tailored", kinds=(*_NOTES, "pt")),
        rule("conservative.home_program_instructed", kinds=(*_NOTES, "pt")),
        rule("conservative.home_program_compliant", kinds=(*_NOTES, "pt")),
        rule("conservative.compliance_documented", kinds=(*_NOTES, "pt")),
        rule("conservative.anti_inflammatory_analgesics", absence_matters=False),
        rule("conservative.adjunctive_medications", absence_matters=False),
        rule("conservative.alternative_therapies", absence_matters=False),
        rule("conservative.completed", kinds=(*_NOTES, "pt")),
        rule("conservative.no_significant_improvement", kinds=(*_NOTES, "pt")),
        rule("conservative.ongoing", kinds=(*_NOTES, "pt")),
        rule("conservative.comprehensive_pain_program"),
        rule("surgery.consult", kinds=(*_NOTES, "procedure"), skip_planned=True),
        rule("surgery.considered", kinds=(*_NOTES, "procedure")),
        *(
            rule(name, uncertain_counts=True, kinds=_NOTES)
            for name in (
                "contra.infection_risk", "contra.coagulopathy", "contra.cauda_equina",
                "contra.conus_medullaris", "contra.epidural_hematoma", "contra.epidural_abscess",
                "contra.epidural_mass", "contra.subarachnoid_hemorrhage",
                "contra.spinal_cord_ischemia", "contra.demyelinating_disease",
                "contra.spine_infection",
                "contra.significant_deformity", "contra.uncontrolled_diabetes",
                "contra.contrast_allergy", "contra.osteoporotic_fracture_risk",
            )
        ),
        rule("contra.malignancy", uncertain_counts=True, kinds=_NOTES, remission_counts=False),
        rule("contra.anticoagulant", uncertain_counts=True, kinds=_NOTES, ended_is_absent=True),
        # a fracture dated months back ("a T7 compression fracture from a fall in 2024 that
        # healed") is history, not a fracture now
        rule("contra.spinal_fracture", uncertain_counts=True, kinds=_ALL_KINDS, spine_only=True,
             passing=True),
        rule("contra.acute_trauma", uncertain_counts=True, kinds=_NOTES, spine_only=True,
             passing=True),
        *(
            rule(name, uncertain_counts=True, kinds=_NOTES, passing=True)
            for name in ("contra.systemic_infection", "contra.local_infection")
        ),
        rule("contra.spinal_tumor", kinds=_ALL_KINDS),
        rule("si.joint_previously_fused", side_scoped=True),
        # a plan is future by nature ("may hold apixaban for 3 days before the procedure")
        rule("contra.anticoagulant_hold_planned", hypothetical_counts=True, uncertain_counts=True),
        rule("si.fusion_planned", hypothetical_counts=True),
        # shown on flexion/extension films, not by a clinical instability test
        rule("facet.dynamic_instability", kinds=_ALL_KINDS, imaging_only=True),
        # what the plan says of the next injection, not a history of earlier ones
        rule("planned.differs_from_prior", kinds=_NOTES, sections=frozenset({"plan"})),
        rule("planned.second_injection_rationale", kinds=_NOTES, sections=frozenset({"plan"}),
             absence_matters=False),
        rule("stimulator.mental_health_cleared", candidacy=True),
        # a pregnancy in the past history ("PMH: GDM with 2nd pregnancy (2024)") is not today's
        rule("patient.pregnant", skip_sections=frozenset({"family", "pmh", "psh"}),
             past_words="past_pregnancy", answer_words="not_pregnant"),
        rule("patient.lactating"),
        rule("patient.pacemaker_dependent"),
        *(
            rule(name)
            for name in (
                "bvn.osteoporosis", "bvn.metabolic_bone_disease", "bvn.fragility_fracture_history",
                "bvn.cardiac_pulmonary_compromise", "bvn.active_implantable_device",
                "bvn.mri_contraindicated", "bvn.concurrent_vertebral_augmentation",
                "bvn.er_opioids_with_addiction", "crps.diagnosed", "crps.no_better_diagnosis",
                "si.sulcus_tenderness", "si.pain_over_si_joint", "si.pain_below_l5",
                "si.equal_tenderness_elsewhere",
                "si.biphasic_response", "facet.exam_consistent", "facet.inflammatory_arthropathy",
                "facet.denervation_contraindicated",
                "facet.provocative_maneuvers_documented", "bvn.other_sources_ruled_out",
                "stimulator.neuropathic_pain", "stimulator.untreated_addiction",
                "planned.postoperative_pain", "planned.infusion_pump_trial",
                "planned.synovial_cyst_aspiration",
            )
        ),
    ]  # fmt: skip


BOOLEAN_RULES: list[BooleanRule] = _rules()


_CONDITIONAL = re.compile(
    r"\b(?:if|once|would|could|unless|until|provided|pending|after\s+(?:he|she|they)\s+"
    r"(?:completes?|finishes?))\b",
    re.IGNORECASE,
)
_ABSENCE_PHRASE = re.compile(r"^(?:no|not|without|none)\b", re.IGNORECASE)


def _negated(mention: ConceptMention) -> bool:
    """ConText's verdict, except for a concept that is itself an absence phrase ("No other
    diagnosis explains", "no fracture, tumor or infection"): those stand as written."""
    if mention.stated_absent:
        return True
    return mention.negated and not _ABSENCE_PHRASE.match(mention.text)


_RESULT_CUES = frozenset({"negative", "neg", "(negative)", "positive", "pos", "unchanged"})


def _a_result(rule: BooleanRule, mention: ConceptMention) -> bool:
    """For a fact that something was done ("provocative maneuvers documented"), "negative" is
    the result of doing it ("Provocative maneuvers negative post-block"), not its absence."""
    return (
        rule.fact.endswith(("_documented", "_completed"))
        and bool(mention.negation_cues)
        and (set(mention.negation_cues) <= _RESULT_CUES)
    )


# what a note copied forward from an older visit says of the patient's state then (pain, its
# spread, function) is not the state now; what it says of treatments stays history
_CURRENT_STATE = ("pain.", "neuro.", "function.", "symptoms.")


def _usable(rule: BooleanRule, sentence: Sentence, mention: ConceptMention) -> bool:
    if sentence.section in rule.skip_sections:
        return False
    if sentence.section == "copied" and rule.fact.startswith(_CURRENT_STATE):
        return False
    if rule.fact.startswith(_CURRENT_STATE) and _resolved_then(sentence, mention):
        return False
    if rule.sections is not None and sentence.section not in rule.sections:
        return False
    if rule.skip_planned and mention.planned and not _negated(mention):
        return False
    if rule.fact == "conservative.pt_formal" and _THERAPY_ORDERED.search(sentence.text):
        return False  # "Order: PT eval & treat, 2x/wk x 6 wks": prescribed, not done
    if (
        rule.fact == "conservative.pt_formal"
        and _STATE_WORDS["therapy_by_chiropractor"].search(sentence.text)
        and not _STATE_WORDS["therapist_named"].search(sentence.text)
    ):
        return False  # "Physical therapy - provider: Align Chiropractic": a chiropractor's care
    if rule.past_words and not _negated(mention):
        window = sentence.text[
            max(0, mention.start - sentence.start - 40) : mention.end - sentence.start + 20
        ]
        if _STATE_WORDS[rule.past_words].search(window):
            return False  # "the pain started during her second pregnancy": then, not now
    if not rule.remission_counts and not _negated(mention) and _in_remission(sentence.text):
        return False
    if mention.uncertain and _STATE_WORDS["set_aside"].search(
        sentence.text, mention.end - sentence.start
    ):
        return False  # "discitis in the differential, but ... infection not a concern"
    if _STATE_WORDS["ruled_out_label"].match(sentence.text, mention.end - sentence.start):
        return False  # "[X] Fracture / tumor / infection ruled out": the box says they are not
    return not (mention.uncertain and not rule.uncertain_counts and not _negated(mention))


_STATE_WORDS = patterns("clinical_state")
# a test's report (not a consultation that includes one) and its indication, the question the
# test was asked ("Indication: ... Evaluate for R cervical radiculopathy vs plexopathy")
_TEST_REPORT = re.compile(
    r"^(?!.*\bconsult)(?=.*\b(?:EMG|NCS|NCV|electromyograph\w*|electrodiagnos\w*|nerve\s+conduction)\b)"
    r".*\breport\b",
    re.I,
)
_THE_QUESTION = re.compile(
    r"^\W*(?:indications?|reason\s+for\s+(?:study|referral|exam|test)|clinical\s+(?:indication|"
    r"information|history|question))\b|\b(?:evaluate|eval|assess|test)\s+for\b|\br/o\b|"
    r"\brule\s+out\b",
    re.I,
)
# a consultant's line giving the referring clinician's reason ('Ref: Dr. V -- "intermittent L hand
# tingling, neck pain"', "Reason for referral: r/o radiculopathy"): the question the consultant
# was sent, which the consult's own history and exam answer
_REFERRAL_LINE = re.compile(
    r"^\W*(?:ref|referral|referred\s+by|referring\s+(?:dx|diagnosis|reason|question)|"
    r"reason\s+for\s+(?:referral|consult\w*))\b[^:\n]{0,40}?(?::|--|—|–)",
    re.I,
)
_ASSESSMENT_SECTIONS = frozenset({"assessment", "impression"})


def _puts_limb_pain_elsewhere(document: CaseDocument, words: str) -> bool:
    """The note's assessment names a cause of the limb pain outside the spine and no spinal one."""
    told = [s.text for s in document.annotated.sentences if s.section in _ASSESSMENT_SECTIONS]
    text = " ".join(told)
    return bool(_STATE_WORDS[words].search(text)) and not _STATE_WORDS[f"{words}_spinal"].search(
        text
    )


def _in_remission(text: str) -> bool:
    remission = _STATE_WORDS["in_remission"]
    # "no evidence of recurrence" is the remission itself, not a recurrence
    return bool(remission.search(text)) and not _STATE_WORDS["disease_active"].search(
        remission.sub(" ", text)
    )


_THERAPY_ORDERED = _STATE_WORDS["therapy_ordered"]


_RESOLVED_CUES = frozenset({"resolved", "resolution of", "resolution"})


def _ended(sentence: Sentence, mention: ConceptMention) -> bool:
    """A medicine named as stopped for good, not held for a procedure (`clinical_state.yaml`)."""
    offset, end = mention.start - sentence.start, mention.end - sentence.start
    return bool(
        _STATE_WORDS["medicine_ended_after"].match(sentence.text[end:])
        or _STATE_WORDS["medicine_ended_before"].search(sentence.text[max(0, offset - 40) : offset])
    )


def _came_back(sentence: Sentence) -> bool:
    """The sentence says the problem came back ("now recurred"), not that it did not ("no
    evidence of recurrence")."""
    text = sentence.text
    return any(
        not re.search(r"\b(?:no|not|without|never)\b[^.;]{0,20}$", text[: m.start()], re.I)
        for m in _STATE_WORDS["recurrence"].finditer(text)
    )


_CLAUSE_STOP = re.compile(r"[;]|\.(?:\s|$)|\n")


def _resolved_in_clause(sentence: Sentence, mention: ConceptMention) -> bool:
    """The mention's own clause says the condition resolved and it has not come back ("L L5
    radiculopathy 2026 (resolved)", "radiculopathy (M54.16) - RESOLVED after TFESI 6/16")."""
    text, at = sentence.text, mention.end - sentence.start
    stop = _CLAUSE_STOP.search(text, at)
    clause = text[at : stop.start() if stop else len(text)][:60]
    return bool(_STATE_WORDS["resolved"].search(clause)) and not _came_back(sentence)


def _resolved_then(sentence: Sentence, mention: ConceptMention) -> bool:
    """A past problem the sentence says went away and did not come back ("Hx R S1 radiculopathy
    2018 with full resolution of leg pain"): not today's state."""
    return (
        (mention.historical or bool(re.search(r"\b(?:19|20)\d\d\b", sentence.text)))
        and not mention.negated
        and bool(
            _STATE_WORDS["resolved"].search(sentence.text)
            or _STATE_WORDS["not_recurred"].search(sentence.text)  # "... has not recurred"
        )
        and not _came_back(sentence)
    )


def _months_before_request(reader: CaseReader, document: CaseDocument, sentence: Sentence) -> float:
    """How long before the request the sentence's state was told: the latest date it names
    before its note, plus the note's age when the request came in (an emergency note of a fall
    in July is old news by a request in October)."""
    age = 0.0
    received = reader.case.received
    if document.date is not None and received is not None and received > document.date:
        age = (received - document.date).days / 30.44
    return document.months_before(sentence) + age


def _operated_for_then(
    document: CaseDocument, sentence: Sentence, mention: ConceptMention, rule: BooleanRule
) -> bool:
    """A condition named as the reason for an operation done half a year or more back, which
    the sentence does not say came back: the state then, not today's."""
    before = sentence.text[: mention.start - sentence.start]
    after = sentence.text[mention.end - sentence.start :]
    return (
        rule.fact.startswith(_CURRENT_STATE)
        and not _negated(mention)
        and bool(
            _STATE_WORDS["operated_for"].search(before)
            or _STATE_WORDS["operated_after"].search(after)
        )
        and document.months_before(sentence) >= 6
        and not _came_back(sentence)
    )


_SITES = words("body_sites")
_SPINE_SITE = re.compile(r"\b(?:" + "|".join(_SITES["spine"]) + r")\b", re.IGNORECASE)
_LIMB_SITE = re.compile(r"\b(?:" + "|".join(_SITES["limb"]) + r")\b", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[;.,]|\s[-–]\s|\bbut\b|\bwhile\b")


def _told_of_the_other_side(
    reader: CaseReader, sentence: Sentence, mention: ConceptMention
) -> bool:
    """The mention's clause names only the other side than the one side of the request's lines
    of its joint (the sacroiliac lines for an SI finding)."""
    si_lines = {
        line.side for line in reader.case.request.services
        if line.code.startswith(("27096", "G0260", "64451", "64625")) and line.side
    }  # fmt: skip
    requested = si_lines or requested_sides(reader.case)
    if len(requested) != 1 or "bilateral" in requested:
        return False
    text, at = sentence.text, mention.start - sentence.start
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    left = max((e for e in ends if e < at), default=-1) + 1
    right = min((e for e in ends if e > mention.end - sentence.start), default=len(text))
    named = {m.side for m in find_sides(text[left:right])}
    return bool(named) and not (named & (requested | {"bilateral"}))


def at_limb_site(sentence: Sentence, mention: ConceptMention) -> bool:
    """The mention's clause names a limb or trunk site and no spinal one (lexicons/body_sites)."""
    text = sentence.text
    offset = mention.start - sentence.start
    left = max(text.rfind(mark, 0, offset) for mark in (";", ". ", ",")) + 1
    stops = [i for i in (text.find(";", offset), text.find(". ", offset)) if i >= 0]
    clause = text[left : min(stops) if stops else len(text)]
    return bool(_LIMB_SITE.search(clause)) and not _SPINE_SITE.search(clause)


_PATIENT_WORDS = re.compile(
    r"\bper\s+(?:pt|patient)\b|\b(?:pt|patient|she|he)\s+(?:states|reports|describes|says|feels|"
    r"believes)\b|\bquestionnaire\b|\bself-?report",
    re.IGNORECASE,
)


# a request form's ticked box ("Clinical indication (check): [x] Radicular pain"): the office's
# summary for the payer, which the clinician's own explicit denial in the notes outranks
_TICK = r"(?:\[\s*[xX✓✔]\s*\]|☒|☑)"  # a ticked box
_TICK_BEFORE = re.compile(_TICK + r"\s*$")


def _patient_words(document: CaseDocument, sentence: Sentence, mention: ConceptMention) -> bool:
    """The mention is the patient's own report (in quotation marks, "per pt", a questionnaire)
    or a request form's ticked box."""
    if _PATIENT_WORDS.search(document.title) or _PATIENT_WORDS.search(sentence.text):
        return True
    if document.is_request_form and (
        _TICK_BEFORE.search(document.text[max(0, mention.start - 8) : mention.start])
        or _TICKED_YES_AFTER.match(document.text, mention.end)  # "Radicular symptoms: [X] Yes"
    ):
        return True
    before = sentence.text[: mention.start - sentence.start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


_TICKED_YES_AFTER = re.compile(r"[^\n]{0,20}?" + _TICK + r"\s*(?:yes|y)\b", re.I)
_FIELD_LABEL = re.compile(
    r"^\s*(?:status|use|therapy|history|hx|risk)\s*:\s*(?P<value>\S.*)?$", re.IGNORECASE
)
_ANSWER_NO = re.compile(  # a bare no ("Anticoagulants: none."), not "discharge: no improvement"
    r"^\s*(?::\s*(?:no|none|nil|not\s+on\s+any|denie[sd]|negative|n/?a)|(?-i:NO))\s*(?:$|[.;,()\n])",
    re.I,
)  # a checklist's capital answer too ("prior fragility fracture NO (2009 wrist fx traumatic)")
_TICKED_NO = re.compile(_TICK + r"\s*(?:no|none|n)\b", re.I)
_TICKED_YES = re.compile(_TICK + r"\s*(?:yes|y)\b", re.I)
_ANSWER_YES = re.compile(r"^(?:yes|y|positive|present|\+|\[x\]|☒|☑)(?:\W|$)", re.I)


def _field_label(sentence: Sentence, mention: ConceptMention) -> str | None:
    """A mention that names a form's field: "field" when the field's value follows it
    ("Anticoagulation status: Not on anticoagulation", read from the value's own words),
    "answered_no" when its value is a plain no ("Anticoagulants: none"), else None."""
    after = sentence.text[mention.end - sentence.start :]
    if _ANSWER_NO.match(after):
        return "answered_no"
    field = after.split("\n", 1)[0]
    if _TICKED_NO.search(field) and not _TICKED_YES.search(field):
        return "answered_no"  # "Anticoagulant / antiplatelet: [ ] Yes - hold plan  [X] No"
    if field.lstrip().startswith(":") and any(
        other.category == mention.category and mention.end < other.start <= mention.end + len(field)
        for other in sentence.concepts
    ):
        return "field"  # "Pregnancy: not currently pregnant": the answer names it again
    label = _FIELD_LABEL.match(after.split("\n", 1)[0])
    if label is None or _ANSWER_YES.match(label.group("value") or ""):
        return None
    return "field"


_STALE_LIST = _STATE_WORDS["stale_list"]
_ONGOING = _STATE_WORDS["ongoing"]
_BASELINE = _STATE_WORDS["back_to_baseline"]
_NOW = _STATE_WORDS["said_of_today"]


def resolve_boolean(reader: CaseReader, rule: BooleanRule) -> Fact[bool] | None:
    """The fact's value and evidence from its mentions, or None when the record is silent."""
    documents: list[CaseDocument] = [d for d in reader.clinical_first() if d.kind in rule.kinds]
    if not documents and "clinic" in rule.kinds:
        documents = reader.clinical_notes()  # a record that is only procedure notes
    present: list[Evidence] = []
    absent: list[Evidence] = []
    reported: list[bool] = []  # per present evidence: only the patient's own words
    clinician_absent: list[Evidence] = []
    present_now: list[bool] = []  # passing states: per evidence, said of today
    stale: list[bool] = []  # per present evidence: from a list marked old or unreconciled
    absent_now: list[bool] = []
    resolved: list[tuple[Any, Evidence]] = []  # (note date, evidence) of a stated resolution
    found = list(reader.mentions(rule.fact, documents))
    if rule.exam_outranks_history and any(s.section == "exam" for _, s, _ in found):
        found = [item for item in found if item[1].section == "exam"]  # signs over symptoms
    other_cause = {
        document.index for document in documents
        if rule.other_cause_words and _puts_limb_pain_elsewhere(document, rule.other_cause_words)
    }  # fmt: skip
    for document, sentence, mention in found:
        if document.index in other_cause and not _negated(mention):
            continue  # the vascular surgeon's "right calf pain with walking": arterial, not a root
        if (
            rule.referred_words
            and not _negated(mention)
            and _STATE_WORDS[rule.referred_words].search(sentence.text)
        ):
            continue  # "radiates into the posterolateral thigh but never below the knee"
        hypothetical = mention.hypothetical and not rule.hypothetical_counts
        if hypothetical and rule.candidacy and not _CONDITIONAL.search(sentence.text):
            hypothetical = False
        if (
            rule.clinician_outranks_patient
            and mention.stated_absent
            and mention.negated
            and not (hypothetical or mention.family)
            and not _patient_words(document, sentence, mention)
        ):
            # the clinician's own assessment, wherever it is written
            clinician_absent.append(
                reader.evidence(document, sentence, (mention.start, mention.end))
            )
        if not _usable(rule, sentence, mention) or hypothetical or mention.family:
            continue
        if document.kind == "imaging" and sentence.section == "hpi":
            continue  # a report's "Indication: r/o fracture" is the question it was asked
        if _TEST_REPORT.search(document.title) and _THE_QUESTION.search(sentence.text):
            continue  # an EMG's "Evaluate for R cervical radiculopathy vs plexopathy"
        if rule.fact.startswith("neuro.") and _REFERRAL_LINE.search(sentence.text):
            continue  # a consult's 'Ref: Dr. V -- "intermittent L hand tingling ..."'
        if rule.spine_only and at_limb_site(sentence, mention):
            continue
        if rule.side_scoped and _told_of_the_other_side(reader, sentence, mention):
            continue
        if _operated_for_then(document, sentence, mention, rule):
            continue  # "I performed a C5-C6 ACDF on her in 08/2021 for a left C6 radiculopathy"
        if (
            rule.passing
            and not _negated(mention)
            and _months_before_request(reader, document, sentence) >= 3
            and not _ONGOING.search(sentence.text)
        ):
            continue  # "C-spine MRI from 03/2025 (neck strain after MVA)": not acute now
        if (
            rule.passing
            and not _negated(mention)
            and _STATE_WORDS["resolved"].search(sentence.text)
            and not _came_back(sentence)
        ):
            continue  # "fall 7/4, ED CT no fx, back bruise resolved in ~1 wk": over by now
        if rule.imaging_only and not (
            sentence.section in ("findings", "impression")
            if document.kind == "imaging"  # not the question the report was asked
            else _STATE_WORDS["imaging_words"].search(sentence.text)
            or "dynamic" in mention.text.lower()  # "dynamic instability" names the films' finding
        ):
            continue
        if rule.resolution_outranks and _resolved_in_clause(sentence, mention):
            told = reader.evidence(document, sentence)
            resolved.append((document.date, told))
            if len(absent) < MAX_EVIDENCE and told not in absent:
                absent.append(told)  # resolved: absent now
            continue
        negated = _negated(mention) and not _a_result(rule, mention)
        if (
            negated
            and not mention.stated_absent
            and mention.negation_cues
            and set(mention.negation_cues) <= _RESOLVED_CUES
            and _came_back(sentence)
            and not (rule.passing and _BASELINE.search(sentence.text))  # "feels back to baseline"
        ):
            negated = False  # "radiculopathy 2018, resolved, now recurred": there again today
        if rule.ended_is_absent and not negated and _ended(sentence, mention):
            negated = True  # "apixaban 5 mg tab - DISCONTINUED 01/15/2020"
        label = _field_label(sentence, mention)
        if label == "field" and not negated:
            continue  # "Anticoagulation status: Not on anticoagulation": the value decides
        negated = negated or label == "answered_no"
        bucket = absent if negated else present
        evidence = reader.evidence(document, sentence, (mention.start, mention.end))
        if len(bucket) < MAX_EVIDENCE and evidence not in bucket:
            bucket.append(evidence)
            if bucket is present:
                reported.append(_patient_words(document, sentence, mention))
            if bucket is present:
                stale.append(bool(_STALE_LIST.search(sentence.text)))
            if rule.passing:
                now = bool(_NOW.search(sentence.text))
                (absent_now if negated else present_now).append(now)
    if present and resolved:
        latest = max((when for when, _ in resolved if when is not None), default=None)
        dates = {d.index: d.date for d in reader.documents}
        later = [
            e for e in present
            if latest is not None and (dates.get(e.document) or latest) > latest
        ]  # fmt: skip
        if not later:  # resolved, and told of again only before: not today's
            return Fact[bool](value=False, evidence=[e for _, e in resolved][:MAX_EVIDENCE])
        present = later
    if present and absent and rule.ended_is_absent and all(stale):
        return Fact[bool](value=False, evidence=absent)  # an old, unreconciled medicine list
    if present and rule.passing and any(absent_now) and not any(present_now):
        return Fact[bool](value=False, evidence=absent)  # "Fever resolved 9/29. Afebrile today."
    answers = [
        e for e in absent
        if rule.answer_words and _STATE_WORDS[rule.answer_words].search(e.quote)
    ]  # fmt: skip
    if present and answers:
        return Fact[bool](value=False, evidence=answers)  # "not pregnant; urine hCG negative"
    if present and rule.clinician_outranks_patient and clinician_absent and all(reported):
        return Fact[bool](value=False, evidence=clinician_absent[:MAX_EVIDENCE])
    if present:
        return Fact[bool](value=True, evidence=present)
    if absent and rule.absence_matters:
        return Fact[bool](value=False, evidence=absent)
    return None


def extract_booleans(reader: CaseReader, facts: CaseFacts) -> None:
    """Set every table-driven yes/no fact the record documents."""
    for rule in BOOLEAN_RULES:
        fact = resolve_boolean(reader, rule)
        if fact is not None:
            facts.set(rule.fact, fact)
    _billing_code_only(facts)


_ICD_LABEL = re.compile(
    r"\b[A-TV-Z]\d{2}\.\d{1,4}\s+(?:[A-Z][a-z]+,?\s+)?radiculopathy"
    r"|radiculopathy,?\s*(?:[a-z]+\s+region\s*)?\(\s*[A-TV-Z]\d{2}\.\d{1,4}\s*\)",
    re.I,
)


def _billing_code_only(facts: CaseFacts) -> None:
    """A radiculopathy named only by a billing code's label ("M54.12 Radiculopathy, cervical
    region", "Lumbar radiculopathy (M54.16)") is no finding when the notes deny the limb symptoms
    ("denies arm pain, numbness")."""
    stated, pain = facts.neuro.radiculopathy, facts.neuro.radicular_pain
    if stated is None or not stated.value or pain is None or pain.value:
        return
    if all(_ICD_LABEL.search(e.quote) for e in stated.evidence):
        facts.neuro.radiculopathy = None
