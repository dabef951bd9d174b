"""A lumbar radiculopathy patient in compact facts (`criteria.fact_values.facts_from_compact`).

Shared by the epidural and routing tests and by the engine bench (`bench/engine_bench.py`), so
it imports nothing but data: no pytest, no criteria code.
"""

from __future__ import annotations

from typing import Any

# Pain, function, neurological findings and failed conservative care: what every ESI asks for.
RADICULOPATHY_HISTORY: dict[str, Any] = {
    "pain.score": {"value": 7, "quote": "Current pain 7/10", "document": 1},
    "function.adls_impaired": ["dressing", "cooking"],
    "neuro.radicular_pain": True,
    "neuro.radicular_side": "left",
    "neuro.dermatomal_sensory_change": True,
    "neuro.physical_exam_completed": True,
    "conservative.pt_formal": True,
    "conservative.anti_inflammatory_analgesics": True,
    "conservative.duration_weeks": 8,
    "conservative.no_significant_improvement": True,
}

MRI = {
    "modality": "mri",
    "date": "2025-11-20",
    "independent_radiologist": True,
    "region": "lumbar",
    "quote": "MRI LUMBAR SPINE",
    "document": 0,
    "findings": [
        {"level": "L4-L5", "side": "left", "herniation": True, "root_compression": True},
        {"level": "L5-S1", "side": "left", "stenosis": "foraminal"},
    ],
}

# Everything an initial therapeutic TFESI at left L4-L5 needs to be approved.
COMPLETE: dict[str, Any] = {
    **RADICULOPATHY_HISTORY,
    "procedures.prior": [],
    "planned.injectate": ["steroid", "anesthetic"],
    "planned.contrast": True,
    "imaging.studies": [MRI],
}
TFESI = [{"code": "64483", "side": "left", "levels": ["L4-L5"]}]

# Contradicting facts carry their quote: the engine denies only on a quoted fact.
CAUDA_EQUINA: dict[str, Any] = {
    "contra.cauda_equina": {
        "value": True,
        "quote": "New saddle anesthesia and urinary retention since yesterday",
        "document": 1,
    }
}
ISOLATED_AXIAL_PAIN: dict[str, Any] = {
    "neuro.radicular_pain": {
        "value": False,
        "quote": "Pain stays in the low back and does not travel into either leg",
        "document": 1,
    },
    "pain.axial": {"value": True, "quote": "Pain stays in the low back", "document": 1},
}
