"""Plain-language phrase tables for letters: code descriptions, acronyms, fact names, dates.

Owned here so the template letter (`drafting.letters.template`) and the linter
(`drafting.lint.linter`) speak the same words: the template writes with these tables and the linter
checks against them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from criteria.facts import DERIVED_FACTS, CaseFacts, LineFacts

# ---------------------------------------------------------------- procedure codes

_TFESI = "transforaminal epidural steroid injection (medicine placed next to a spinal nerve root"
_TFESI += " with X-ray or CT guidance)"
_FACET_IMAGE = "facet joint or medial branch nerve injection with X-ray or CT guidance"
_FACET_US = "facet joint or medial branch nerve injection with ultrasound guidance"
_FACET_RF = "radiofrequency ablation of the facet joint nerves (medial branch nerves)"
_EPI_IL = "epidural injection between the vertebrae (interlaminar)"
_EPI_CATHETER = "epidural injection through a catheter (continuous infusion or repeated doses)"
_NEUROLYTIC = "injection of a nerve-destroying (neurolytic) substance"
_ALLOGENEIC = "injection of donor (allogeneic) cell or tissue product into a spinal disc"

PLAIN_CODE_DESCRIPTIONS: dict[str, str] = {
    "62280": f"{_NEUROLYTIC} into the spinal fluid space",
    "62281": f"{_NEUROLYTIC} into the epidural space, neck or upper back",
    "62282": f"{_NEUROLYTIC} into the epidural space, lower back or sacrum",
    "62320": f"{_EPI_IL}, neck or upper back, without imaging guidance",
    "62321": f"{_EPI_IL}, neck or upper back, with X-ray or CT guidance",
    "62322": f"{_EPI_IL}, lower back or sacrum (caudal), without imaging guidance",
    "62323": f"{_EPI_IL}, lower back or sacrum (caudal), with X-ray or CT guidance",
    "62324": f"{_EPI_CATHETER}, neck or upper back, without imaging guidance",
    "62325": f"{_EPI_CATHETER}, neck or upper back, with X-ray or CT guidance",
    "62326": f"{_EPI_CATHETER}, lower back or sacrum, without imaging guidance",
    "62327": f"{_EPI_CATHETER}, lower back or sacrum, with X-ray or CT guidance",
    "64479": f"Neck or upper back {_TFESI}, first level",
    "64480": f"Neck or upper back {_TFESI}, each additional level",
    "64483": f"Lower back or sacral {_TFESI}, first level",
    "64484": f"Lower back or sacral {_TFESI}, each additional level",
    "62292": "Injection to dissolve disc material (chemonucleolysis), lower back",
    "0627T": f"{_ALLOGENEIC}, X-ray guided, lower back, first level",
    "0628T": f"{_ALLOGENEIC}, X-ray guided, lower back, each additional level",
    "0629T": f"{_ALLOGENEIC}, CT guided, lower back, first level",
    "0630T": f"{_ALLOGENEIC}, CT guided, lower back, each additional level",
    "62263": "Breaking up of epidural scar tissue (lysis of adhesions), over 2 or more days",
    "62264": "Breaking up of epidural scar tissue (lysis of adhesions), in 1 day",
    "0213T": f"Neck or upper back {_FACET_US}, first level",
    "0214T": f"Neck or upper back {_FACET_US}, second level",
    "0215T": f"Neck or upper back {_FACET_US}, third or further level",
    "0216T": f"Lower back or sacral {_FACET_US}, first level",
    "0217T": f"Lower back or sacral {_FACET_US}, second level",
    "0218T": f"Lower back or sacral {_FACET_US}, third or further level",
    "64490": f"Neck or upper back {_FACET_IMAGE}, first level",
    "64491": f"Neck or upper back {_FACET_IMAGE}, second level",
    "64492": f"Neck or upper back {_FACET_IMAGE}, third or further level",
    "64493": f"Lower back or sacral {_FACET_IMAGE}, first level",
    "64494": f"Lower back or sacral {_FACET_IMAGE}, second level",
    "64495": f"Lower back or sacral {_FACET_IMAGE}, third or further level",
    "64628": "Heat ablation of the nerve inside the vertebra (basivertebral nerve), first two "
    "vertebrae, lower back or sacrum",
    "64629": "Heat ablation of the nerve inside the vertebra (basivertebral nerve), each "
    "additional vertebra",
    "64633": f"Neck or upper back {_FACET_RF}, first joint",
    "64634": f"Neck or upper back {_FACET_RF}, each additional joint",
    "64635": f"Lower back or sacral {_FACET_RF}, first joint",
    "64636": f"Lower back or sacral {_FACET_RF}, each additional joint",
    "64510": "Numbing injection of the stellate ganglion (sympathetic nerves of the neck)",
    "64520": "Numbing injection of the lumbar or thoracic sympathetic nerves",
    "27096": "Sacroiliac joint injection with X-ray or CT guidance",
    "G0260": "Sacroiliac joint injection",
    "64451": "Injection of the nerves supplying the sacroiliac joint, with X-ray or CT guidance",
    "64625": "Radiofrequency ablation of the nerves supplying the sacroiliac joint",
    "63650": "Placement of spinal cord stimulator wires (electrodes) through a needle",
    "63655": "Surgical placement of a spinal cord stimulator paddle electrode",
    "63663": "Revision or replacement of spinal cord stimulator wires placed through a needle",
    "63664": "Revision or replacement of a spinal cord stimulator paddle electrode",
    "63685": "Insertion or replacement of a spinal cord stimulator battery (pulse generator)",
    "63688": "Revision or removal of a spinal cord stimulator battery (pulse generator)",
    "C1767": "Stimulator battery (generator), non-rechargeable",
    "C1778": "Stimulator wire (lead)",
    "C1787": "Patient programmer for a stimulator",
    "C1816": "Stimulator receiver or transmitter",
    "C1820": "Stimulator battery (generator), rechargeable",
    "C1822": "High-frequency stimulator battery (generator), rechargeable",
    "C1883": "Stimulator lead adapter or extension",
    "L8679": "Implantable stimulator battery (pulse generator)",
    "L8680": "Implantable stimulator electrode",
    "L8682": "Implantable stimulator radiofrequency receiver",
    "L8683": "External radiofrequency transmitter for a stimulator",
    "L8685": "Stimulator battery, single lead, rechargeable",
    "L8686": "Stimulator battery, single lead, non-rechargeable",
    "L8687": "Stimulator battery, two leads, rechargeable",
    "L8688": "Stimulator battery, two leads, non-rechargeable",
    "J1100": "Dexamethasone (a steroid medicine), per 1 mg",
    "J1030": "Methylprednisolone acetate (a steroid medicine), per 40 mg",
    "J1040": "Methylprednisolone acetate (a steroid medicine), per 80 mg",
    "J3301": "Triamcinolone acetonide (a steroid medicine), per 10 mg",
    "J0702": "Betamethasone (a steroid medicine), per 3 mg",
}

_BOILERPLATE_TAIL = re.compile(
    r"\s*\((?:list separately in addition to code for primary procedure)\)\s*", re.I
)


def plain_code_description(code: str, requested: str = "", guideline: str = "") -> str:
    """A plain description of a procedure code: the table, else the request's or guideline's."""
    if code in PLAIN_CODE_DESCRIPTIONS:
        text = PLAIN_CODE_DESCRIPTIONS[code]
        return text[:1].upper() + text[1:]
    text = requested.strip() or guideline.strip() or "Requested service (no description given)"
    return expand_acronyms(_BOILERPLATE_TAIL.sub(" ", text).strip())


# ---------------------------------------------------------------- acronyms

ACRONYMS: dict[str, str] = {
    "ESI": "epidural steroid injection",
    "ESIs": "epidural steroid injections",
    "TFESI": "transforaminal epidural steroid injection",
    "ILESI": "interlaminar epidural steroid injection",
    "MBB": "medial branch block",
    "MBBs": "medial branch blocks",
    "RFA": "radiofrequency ablation",
    "RF": "radiofrequency",
    "PRF": "pulsed radiofrequency",
    "RFN": "radiofrequency neurotomy",
    "SNRB": "selective nerve root block",
    "SNRBs": "selective nerve root blocks",
    "CRPS": "complex regional pain syndrome",
    "SI": "sacroiliac",
    "SIJ": "sacroiliac joint",
    "PT": "physical therapy",
    "OT": "occupational therapy",
    "HEP": "home exercise program",
    "ADL": "activity of daily living",
    "ADLs": "activities of daily living",
    "IADL": "instrumental activity of daily living",
    "IADLs": "instrumental activities of daily living",
    "BVN": "basivertebral nerve",
    "SCS": "spinal cord stimulator",
    "DRG": "dorsal root ganglion",
    "NSAID": "anti-inflammatory medicine",
    "NSAIDs": "anti-inflammatory medicines",
    "EMG": "electromyography (a nerve and muscle test)",
    "NCS": "nerve conduction study",
    "PRP": "platelet-rich plasma",
    "BMI": "body mass index",
    "MME": "morphine milligram equivalents",
    "NRS": "numeric pain rating scale",
    "VAS": "visual analog pain scale",
    "PSIS": "posterior superior iliac spine",
    "ASIS": "anterior superior iliac spine",
    "CNS": "central nervous system",
    "PDN": "painful diabetic neuropathy",
    "SLR": "straight leg raise test",
    "LBP": "low back pain",
    "DDD": "degenerative disc disease",
    "ROM": "range of motion",
    "HTN": "high blood pressure",
    "CBT": "cognitive behavioral therapy",
    "EHL": "big-toe extensor muscle",
    "DTR": "deep tendon reflex",
    "DTRs": "deep tendon reflexes",
    "FABER": "flexion-abduction-external rotation hip test",
    "FADIR": "flexion-adduction-internal rotation hip test",
    "CPT": "procedure code",
    "HCPCS": "procedure code",
    "ICD": "diagnosis code",
    "ERISA": "Employee Retirement Income Security Act",
    "NKDA": "no known drug allergies",
    "BID": "twice a day",
    "TID": "three times a day",
    "PRN": "as needed",
    "UM": "utilization management",
}
# Abbreviations a reader of these letters knows without help (DOMAIN.md: "MRI is fine").
WELL_KNOWN = frozenset({"MRI", "CT", "ID", "MD", "DO", "PA", "RN", "X", "US", "USA", "FDA"})
_ACRONYM_TOKEN = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,6})(?![\w-])")


def expand_acronyms(text: str) -> str:
    """Replace every acronym of `ACRONYMS` with its plain words (for text that is not a quote)."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(1)
        return ACRONYMS.get(token, token)

    return _ACRONYM_TOKEN.sub(swap, text)


def acronyms_in(text: str) -> list[str]:
    """Acronyms of `ACRONYMS` that occur in `text`, in first-seen order."""
    found = [m.group(1) for m in _ACRONYM_TOKEN.finditer(text) if m.group(1) in ACRONYMS]
    return list(dict.fromkeys(found))


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('MRI report' stays)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


# ---------------------------------------------------------------- fact names

_FACT_PHRASES: dict[str, str] = {
    "pain.score": "pain intensity score",
    "conservative.pt_weeks": "weeks of physical therapy",
    "conservative.duration_weeks": "weeks of conservative care in the current episode",
    "conservative.no_significant_improvement": "the result of the reevaluation after that care",
    "conservative.completed": "whether the full course of conservative care was completed",
    "imaging.studies": "imaging studies of the area",
    "imaging.findings": "imaging findings at the requested level",
    "imaging.latest_advanced_date": "date of the most recent MRI or CT",
    "imaging.advanced_completed": "an MRI or CT of the area",
    "surgery.fusion_levels": "levels of any prior spinal fusion",
    "procedures.prior": "prior spinal injections or procedures and their results",
    "surgery.prior": "prior spine surgery",
    "request.date": "date the request was received",
    "si.provocative_tests_positive": "which provocative sacroiliac joint tests were positive",
    "si.pain_below_l5": "pain below the lowest lumbar vertebra (L5)",
    "patient.hba1c": "hemoglobin A1c (blood sugar control)",
    "bvn.er_opioids_with_addiction": "extended-release opioid use with addiction behaviors",
    "line.injection_count": "number of injections (levels times sides)",
    "planned.volume_cc": "injected volume in milliliters",
    "planned.temperature_c": "ablation temperature in degrees Celsius",
    "request.age": "patient age",
}


_ITEM_FIELD = re.compile(r"(?P<source>[\w.]+)\[(?P<field>\w+)\]")


def _item_field_phrase(field: str) -> str:
    """Plain words for a field of a list item (a study, a finding, a procedure)."""
    from criteria import fact_groups

    for model in vars(fact_groups).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(field)
            if info is not None and info.description:
                return expand_acronyms(lower_first(info.description.rstrip(". ")))
    return " ".join(_humanize_word(word) for word in field.split("_"))


def fact_phrase(name: str) -> str:
    """Plain words for a dotted fact name: the override table, the field doc, or the name.

    A field of a list's items ("imaging.findings[independent_radiologist]") reads as the field's
    words for the list ("performed and read by a radiologist (imaging findings at the requested
    level)"): never the internal name.
    """
    if name in _FACT_PHRASES:
        return _FACT_PHRASES[name]
    item = _ITEM_FIELD.fullmatch(name)
    if item is not None:
        return f"{_item_field_phrase(item['field'])} ({fact_phrase(item['source'])})"
    group, _, field = name.partition(".")
    model: type[BaseModel] | None = None
    if group == "line":
        model = LineFacts
    elif group in CaseFacts.model_fields:
        annotation = CaseFacts.model_fields[group].annotation
        model = annotation if isinstance(annotation, type) else None
    info = model.model_fields.get(field) if model is not None else None
    described = info.description if info is not None else DERIVED_FACTS.get(name)
    if described:
        return expand_acronyms(lower_first(described.rstrip(". ")))
    words = [_humanize_word(word) for word in field.split("_")]
    return " ".join(words)


def _humanize_word(word: str) -> str:
    upper = word.upper()
    if upper in ACRONYMS:
        return ACRONYMS[upper]
    if upper in WELL_KNOWN or re.fullmatch(r"[CTLS]\d{1,2}", upper):
        return upper
    return word


# ---------------------------------------------------------------- formatting


def us_date(day: date) -> str:
    """MM/DD/YYYY, the form US letters use."""
    return day.strftime("%m/%d/%Y")


def units_text(units: int) -> str:
    return f"{units} unit" + ("" if units == 1 else "s")


def service_terms(levels: Sequence[str], side: str | None, units: int) -> str:
    """The levels, side and units of a requested line: 'L4-L5, L5-S1; left; 1 unit'."""
    parts = [", ".join(levels)] if levels else []
    if side:
        parts.append(side)
    parts.append(units_text(units))
    return "; ".join(parts)


def plain_value(value: object) -> str | None:
    """A scalar fact value in words; None for values too structured to state in a sentence."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return expand_acronyms(str(value).replace("_", " "))
    if isinstance(value, date):
        return us_date(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(expand_acronyms(v.replace("_", " ")) for v in value) or "none"
    return None
