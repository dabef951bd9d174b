"""The clinical groups of the facts vocabulary, one model per concern an extractor fills.

Field descriptions are written for extractors (and their prompts); ``None`` = not documented.
``criteria.facts`` assembles these into ``CaseFacts``; import from there.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from criteria.fact_types import (
    STRICT,
    Approach,
    Event,
    Fact,
    Guidance,
    Injectate,
    ProcedureType,
    Purpose,
    Region,
    Severity,
    Side,
    Target,
    Technique,
    doc,
)

_STRICT = STRICT
_doc = doc


class PainFacts(BaseModel):
    model_config = _STRICT
    score: Fact[float] | None = _doc("Current pain intensity, 0-10 (NRS/VAS).")
    severity: Fact[Severity] | None = _doc("Pain severity in words (mild/moderate/severe).")
    axial: Fact[bool] | None = _doc("Axial neck, mid-back or low back pain is present.")
    axial_predominant: Fact[bool] | None = _doc("Axial pain predominates over limb pain.")
    side: Fact[Side] | None = _doc("Side of the index pain.")
    disproportionate: Fact[bool] | None = _doc("Pain disproportionate to any inciting event.")


class FunctionFacts(BaseModel):
    model_config = _STRICT
    impairment: Fact[bool] | None = _doc("Functional impairment is documented.")
    adls_impaired: Fact[list[str]] | None = _doc("ADLs/IADLs the patient cannot perform.")
    disability_severity: Fact[Severity] | None = _doc("Disability severity in words.")


class SymptomFacts(BaseModel):
    model_config = _STRICT
    duration_months: Fact[float] | None = _doc("How long the current symptoms have lasted.")
    onset_date: Fact[dt.date] | None = _doc("Date the current episode began.")
    new_onset: Fact[bool] | None = _doc("New onset of low back or neck pain.")
    recurrent: Fact[bool] | None = _doc("Symptoms have recurred after earlier relief.")


class NeuroFacts(BaseModel):
    model_config = _STRICT
    radicular_pain: Fact[bool] | None = _doc("Radicular pain in a dermatomal distribution.")
    radicular_dermatome: Fact[str] | None = _doc("Dermatome/root of the radicular pain, e.g. L5.")
    radicular_side: Fact[Side] | None = None
    dermatomal_sensory_change: Fact[bool] | None = _doc("Sensory change in that dermatome.")
    myotomal_weakness: Fact[bool] | None = _doc("Weakness in the corresponding myotome.")
    reflex_change: Fact[bool] | None = _doc("Corresponding reflex abnormality.")
    radiculopathy: Fact[bool] | None = _doc("Clinician diagnosis of radiculopathy.")
    neurogenic_claudication: Fact[bool] | None = None
    physical_exam_completed: Fact[bool] | None = _doc("A physical examination is documented.")
    myelopathy: Fact[bool] | None = None
    myelopathy_severity: Fact[Severity] | None = None
    cord_signal_change: Fact[bool] | None = _doc("Intramedullary T1/T2 cord signal change.")
    radicular_acute: Fact[bool] | None = _doc("Radicular pain is acute or subacute.")
    radicular_optimized: Fact[bool] | None = _doc("Radicular condition addressed and stable.")
    new_neurologic_deficit: Fact[bool] | None = None


class LevelFinding(Event):
    """An imaging finding at one spinal level."""

    level: str | None = None
    side: Literal["left", "right", "bilateral", "central"] | None = None
    herniation: bool | None = None
    root_compression: bool | None = _doc("Nerve root compression or impingement.")
    compressed_roots: list[str] | None = _doc(
        "Nerve roots the report names as compressed, contacted or impinged at this level "
        "('compressing the traversing left S1 nerve root' -> ['S1'])."
    )
    stenosis: Literal["central", "lateral_recess", "foraminal", "extraforaminal"] | None = None
    synovial_cyst: bool | None = None
    facet_effusion: bool | None = _doc("Large facet effusion.")
    facet_arthrosis: bool | None = None
    modic_type: int | None = None
    disc_protrusion_mm: float | None = None
    spondylolisthesis_mm: float | None = None
    spondylolysis: bool | None = None
    fusion: bool | None = None
    fracture: bool | None = None
    tumor: bool | None = None
    infection: bool | None = None
    inadequate_epidural_space: bool | None = None
    cord_signal_change: bool | None = None
    arachnoiditis: bool | None = None
    normal_study: bool | None = _doc(
        "The report calls the whole study normal, unremarkable or negative (a finding without a "
        "level): no root compressed, no disc herniated and no stenosis anywhere it shows."
    )


class ImagingStudy(Event):
    """One imaging study and its per-level findings."""

    modality: Literal["mri", "ct", "ct_myelogram", "myelogram", "xray", "other"] | None = None
    date: dt.date | None = None
    region: Region | None = None
    independent_radiologist: bool | None = _doc("Performed and read by a radiologist.")
    findings: list[LevelFinding] = Field(default_factory=list)


class ImagingFacts(BaseModel):
    model_config = _STRICT
    studies: list[ImagingStudy] | None = _doc("Imaging studies in the record.")
    correlates_with_clinical: Fact[bool] | None = _doc("Imaging stated to match the exam.")


class ConservativeFacts(BaseModel):
    model_config = _STRICT
    pt_formal: Fact[bool] | None = _doc("Physical therapy by a qualified provider.")
    pt_weeks: Fact[float] | None = None
    home_program_tailored: Fact[bool] | None = _doc("Patient-specific home program.")
    home_program_instructed: Fact[bool] | None = _doc("MD/DO/PT instruction, redemonstrated.")
    home_program_compliant: Fact[bool] | None = _doc("Compliance documented or attested.")
    pt_exception: Fact[bool] | None = _doc("PT not possible (e.g. intractable pain), documented.")
    anti_inflammatory_analgesics: Fact[bool] | None = None
    adjunctive_medications: Fact[bool] | None = _doc("Nerve membrane stabilizers, relaxants.")
    alternative_therapies: Fact[bool] | None = _doc("Acupuncture, chiropractic, massage, rest.")
    interventional_modalities: Fact[bool] | None = _doc("Prior minimally invasive procedures.")
    duration_weeks: Fact[float] | None = _doc("Weeks of conservative care, current episode.")
    completed: Fact[bool] | None = _doc("A full course was completed.")
    no_significant_improvement: Fact[bool] | None = _doc("Worse/unchanged on reevaluation.")
    reevaluation_date: Fact[dt.date] | None = None
    more_invasive_considered: Fact[bool] | None = None
    compliance_documented: Fact[bool] | None = None
    ongoing: Fact[bool] | None = _doc("Conservative care / rehab continues between injections.")
    comprehensive_pain_program: Fact[bool] | None = _doc("Comprehensive pain program ongoing.")


class ProcedureEvent(Event):
    """A prior interventional procedure and its documented result."""

    type: ProcedureType | None = None
    approach: Approach | None = None
    date: dt.date | None = None
    region: Region | None = None
    levels: list[str] | None = None
    side: Side | None = None
    target: Target | None = None
    agent: Literal["anesthetic_only", "steroid", "other"] | None = None
    purpose: Purpose | None = None
    relief_percent: float | None = None
    relief_duration_months: float | None = None
    relief_consistent_with_agent: bool | None = None
    functional_improvement: bool | None = None
    medication_reduced: bool | None = None
    objective_improvement: bool | None = _doc("E.g. decreased allodynia.")
    temperature_rise_c: float | None = None
    somatic_spread_excluded: bool | None = _doc(
        "A sensory exam after a sympathetic block found no spread to adjacent nerve roots "
        "(no somatic sensory block); false when it found one."
    )
    relief_50_first_two_weeks: bool | None = _doc(
        "The injection gave at least 50% relief at some point in its first 2 weeks (false: it "
        "never reached 50% then)."
    )
    administered: bool | None = _doc("False when the procedure was scheduled but never given.")


class ProcedureFacts(BaseModel):
    model_config = _STRICT
    prior: list[ProcedureEvent] | None = _doc("Prior interventional procedures.")
    prior_mentioned: Fact[bool] | None = _doc(
        "The record says or implies earlier procedures of the requested kind (a repeat, 'her "
        "seventh block', 'the next injection') whether or not it lists them."
    )


class SurgeryEvent(Event):
    """A prior spine or joint surgery."""

    type: Literal["fusion", "discectomy", "laminectomy", "si_fusion", "other"] | None = None
    date: dt.date | None = None
    region: Region | None = None
    levels: list[str] | None = None


class SurgeryFacts(BaseModel):
    model_config = _STRICT
    consult: Fact[bool] | None = _doc("A surgical consultation is documented.")
    considered: Fact[bool] | None = _doc("Surgery is being considered.")
    prior: list[SurgeryEvent] | None = None


class ContraindicationFacts(BaseModel):
    model_config = _STRICT
    malignancy: Fact[bool] | None = _doc("Established or suspected malignancy.")
    infection_risk: Fact[bool] | None = _doc("Risk factors for spinal infection.")
    osteoporotic_fracture_risk: Fact[bool] | None = None
    coagulopathy: Fact[bool] | None = _doc("Bleeding risk from coagulopathy/diathesis.")
    anticoagulant: Fact[bool] | None = _doc("Treated with anticoagulants.")
    anticoagulant_hold_planned: Fact[bool] | None = _doc(
        "A plan to hold the anticoagulant for the procedure is documented."
    )
    acute_trauma: Fact[bool] | None = None
    cauda_equina: Fact[bool] | None = None
    conus_medullaris: Fact[bool] | None = None
    inadequate_epidural_space: Fact[bool] | None = None
    epidural_hematoma: Fact[bool] | None = None
    epidural_abscess: Fact[bool] | None = None
    epidural_mass: Fact[bool] | None = None
    subarachnoid_hemorrhage: Fact[bool] | None = None
    spinal_cord_ischemia: Fact[bool] | None = None
    spinal_fracture: Fact[bool] | None = None
    spinal_fracture_date: Fact[dt.date] | None = None
    demyelinating_disease: Fact[bool] | None = _doc("Or other CNS process (transverse myelitis).")
    systemic_infection: Fact[bool] | None = None
    local_infection: Fact[bool] | None = _doc("Infection at the injection site.")
    spine_infection: Fact[bool] | None = None
    spinal_tumor: Fact[bool] | None = None
    significant_deformity: Fact[bool] | None = None
    uncontrolled_diabetes: Fact[bool] | None = None
    guidance_contraindicated: Fact[bool] | None = _doc("Fluoroscopy/CT cannot be performed.")
    contrast_allergy: Fact[bool] | None = None
    alternative_pain_source: Fact[bool] | None = _doc("Other pathology explains the pain.")
    workup_pending: Fact[bool] | None = _doc(
        "A work-up for another cause of the pain (tumour, infection, fracture) is under way and "
        "its result is not in the record."
    )


class PatientFacts(BaseModel):
    model_config = _STRICT
    bmi: Fact[float] | None = None
    hba1c: Fact[float] | None = None
    pregnant: Fact[bool] | None = None
    lactating: Fact[bool] | None = None
    daily_mme: Fact[float] | None = _doc("Daily morphine milligram equivalents.")
    pacemaker_dependent: Fact[bool] | None = None


class BvnFacts(BaseModel):
    model_config = _STRICT
    skeletally_mature: Fact[bool] | None = None
    supervised_care_months: Fact[float] | None = _doc("Consecutive supervised care, months.")
    other_sources_ruled_out: Fact[bool] | None = None
    cardiac_pulmonary_compromise: Fact[bool] | None = _doc("Severe cardiac/pulmonary compromise.")
    osteoporosis: Fact[bool] | None = _doc("Diagnosed osteoporosis (T-score -2.5 or less).")
    t_score: Fact[float] | None = None
    metabolic_bone_disease: Fact[bool] | None = None
    fragility_fracture_history: Fact[bool] | None = None
    er_opioids_with_addiction: Fact[bool] | None = None
    mri_contraindicated: Fact[bool] | None = None
    device_allergy: Fact[bool] | None = None
    active_implantable_device: Fact[bool] | None = None
    concurrent_vertebral_augmentation: Fact[bool] | None = None


class CrpsFacts(BaseModel):
    model_config = _STRICT
    diagnosed: Fact[bool] | None = None
    limb: Fact[Literal["upper", "lower"]] | None = None
    no_better_diagnosis: Fact[bool] | None = None
    symptom_sensory: Fact[bool] | None = None
    symptom_vasomotor: Fact[bool] | None = None
    symptom_sudomotor_edema: Fact[bool] | None = None
    symptom_motor_trophic: Fact[bool] | None = None
    sign_sensory: Fact[bool] | None = None
    sign_vasomotor: Fact[bool] | None = None
    sign_sudomotor_edema: Fact[bool] | None = None
    sign_motor_trophic: Fact[bool] | None = None


class StimulatorFacts(BaseModel):
    model_config = _STRICT
    condition: (
        Fact[Literal["arachnoiditis", "post_surgical_nerve_root_injury", "crps", "pdn", "other"]]
        | None
    ) = None
    neuropathic_pain: Fact[bool] | None = _doc("Chronic intractable neuropathic trunk/limb pain.")
    objective_basis: Fact[bool] | None = _doc("Severe pain with documented pathology.")
    multimodal_care_months: Fact[float] | None = None
    sympathetic_blocks_failed: Fact[bool] | None = None
    untreated_addiction: Fact[bool] | None = None
    pain_specialist_evaluation: Fact[bool] | None = None
    facilities_available: Fact[bool] | None = None
    surgical_opinion: Fact[bool] | None = _doc("No surgically correctable lesion, per surgeon.")
    mental_health_eval_date: Fact[dt.date] | None = None
    mental_health_cleared: Fact[bool] | None = None
    trial_days: Fact[float] | None = None
    trial_relief_percent: Fact[float] | None = None
    trial_medication_reduction_percent: Fact[float] | None = _doc(
        "Percent reduction of analgesic medication use during the stimulator trial."
    )
    trial_functional_improvement: Fact[bool] | None = None
    trial_failed: Fact[bool] | None = None
    trial_failure_anatomic: Fact[bool] | None = _doc("Lead could not reach the level.")
    csf_protein_elevated: Fact[bool] | None = _doc(
        "High cerebrospinal fluid protein (documents lumbosacral arachnoiditis)."
    )
    existing_functioning_scs: Fact[bool] | None = None
    prior_scs_failed: Fact[bool] | None = None
    hardware_complication: Fact[bool] | None = _doc(
        "Lead migration or fracture, hardware failure, or infection of the system."
    )
    generator_site_complication: Fact[bool] | None = _doc(
        "A painful generator site: a tender, shallow, flipping or eroding generator pocket."
    )
    response_complication: Fact[bool] | None = None
    planned_contraindicating_procedure: Fact[bool] | None = None
    excluded_indication: (
        Fact[Literal["critical_limb_ischemia", "refractory_angina", "heart_failure", "cancer_pain"]]
        | None
    ) = None
    pdn_months: Fact[float] | None = None
    pdn_lower_limb_vas: Fact[float] | None = None
    pdn_upper_limb_vas: Fact[float] | None = None
    pdn_emg_ncs_moderate_severe: Fact[bool] | None = None
    pdn_specialist_confirmation: Fact[bool] | None = None
    medical_clearance: Fact[bool] | None = None
    pdn_other_causes_ruled_out: Fact[bool] | None = None
    pdn_medical_optimization: Fact[bool] | None = None
    pdn_drug_categories_failed: Fact[int] | None = None


class SacroiliacFacts(BaseModel):
    model_config = _STRICT
    pain_below_l5: Fact[bool] | None = None
    pain_over_si_joint: Fact[bool] | None = None
    sulcus_tenderness: Fact[bool] | None = _doc("Tender over the sacral sulcus below the PSIS.")
    equal_tenderness_elsewhere: Fact[bool] | None = None
    provocative_tests_positive: Fact[list[str]] | None = _doc("Named positive tests.")
    fusion_planned: Fact[bool] | None = _doc("Planned sacroiliac joint fusion.")
    joint_previously_fused: Fact[bool] | None = None
    biphasic_response: Fact[bool] | None = None


class FacetFacts(BaseModel):
    model_config = _STRICT
    exam_consistent: Fact[bool] | None = _doc("Exam consistent with a facet pain source.")
    inflammatory_arthropathy: Fact[bool] | None = None
    denervation_contraindicated: Fact[bool] | None = None
    cardiologist_consulted: Fact[bool] | None = _doc(
        "The cardiologist of a pacemaker-dependent patient was consulted on denervation safety."
    )
    pars_defect_pain_generator: Fact[bool] | None = None
    dynamic_instability: Fact[bool] | None = None
    spondylolisthesis_moderate_severe: Fact[bool] | None = None
    provocative_maneuvers_documented: Fact[bool] | None = None
    recurrent_pain_source_unclear: Fact[bool] | None = None


class PlannedFacts(BaseModel):
    """Attributes of the requested procedure, as stated in the plan or order."""

    model_config = _STRICT
    procedure_type: Fact[ProcedureType] | None = _doc("What the requested procedure is.")
    purpose: Fact[Purpose] | None = None
    approach: Fact[Approach] | None = None
    injectate: Fact[list[Injectate]] | None = None
    technique: Fact[list[Technique]] | None = None
    temperature_c: Fact[float] | None = None
    target: Fact[Target] | None = None
    guidance: Fact[Guidance] | None = None
    contrast: Fact[bool] | None = None
    levels: Fact[list[str]] | None = None
    sessions: Fact[int] | None = None
    region: Fact[Region] | None = None
    side: Fact[Side] | None = None
    same_session_procedures: Fact[list[str]] | None = _doc("Other spine procedures same day.")
    separate_session_sections: Fact[list[str]] | None = _doc(
        "Sections of the request (epidural, facet, sacroiliac, ...) the plan puts on a date of "
        "their own; 'all' when every line is."
    )
    synovial_cyst_aspiration: Fact[bool] | None = None
    volume_cc: Fact[float] | None = None
    second_injection_rationale: Fact[bool] | None = _doc("Rationale for a second injection.")
    differs_from_prior: Fact[bool] | None = _doc("Different approach, level or steroid.")
    postoperative_pain: Fact[bool] | None = None
    infusion_pump_trial: Fact[bool] | None = None
    fda_approved: Fact[bool] | None = None
    diagnostic_question: (
        Fact[Literal["confirm_compression", "identify_level", "radiculopathy_not_on_imaging"]]
        | None
    ) = None
    stimulator_type: (
        Fact[Literal["conventional", "burst", "high_frequency", "dorsal_root_ganglion"]] | None
    ) = None
    stimulator_action: (
        Fact[Literal["trial", "implant", "replacement", "revision", "removal"]] | None
    ) = None
    lead_type: Fact[Literal["percutaneous", "paddle"]] | None = None
