"""Target rules for procedures, imaging findings, condition-specific findings and building blocks.

Part of the concept lexicon assembled in `drafting.extraction.clinical_nlp.concepts` (same
conventions: case-insensitive regular expressions, ``(?-i:...)`` for case-sensitive parts).
"""

from __future__ import annotations

SURGERY_AND_PROCEDURES: dict[str, list[str]] = {
    "surgery.consult": [
        r"\b(?:neuro|spine|spinal|ortho\w*\s+spine|ortho\w*)\s*surg(?:ery|eon|ical)?\s+"
        r"(?:consult\w*|evaluation|opinion)", r"\bsurgical\s+(?:consult\w*|evaluation|opinion)",
        r"\bseen\s+by\s+(?:neurosurgery|spine\s+surgery|(?:a\s+)?(?:spine\s+)?surgeon|"
        r"orthopedic\s+spine)", r"\bNeurosurgery\s+consultation",
        r"\bevaluated\s+by\s+(?:neurosurgery|(?:a\s+)?(?:spine\s+)?surgeon)",
    ],
    "surgery.considered": [
        r"\bsurgery\s+(?:is\s+)?(?:being\s+)?considered", r"\bsurgical\s+candidate",
        r"\bconsidering\s+(?:surgery|decompression|fusion|discectomy|foraminotomy)",
        r"\b(?:prior\s+to|before)\s+surgery\b", r"\bpresurgical\b",
    ],
    "PROC_ESI": [
        r"\b(?:TF|IL|C|L)?ESIs?\b", r"\bepidural\s+(?:steroid\s+)?injections?\b",
        r"\bepidural\s+steroid\b", r"\b(?:single-shot\s+|lumbar\s+|cervical\s+|thoracic\s+|"
        r"caudal\s+)epidural\b", r"\btransforaminal\s+(?:epidural|injection)",
        r"\binterlaminar\s+(?:epidural|injection)",
    ],
    "PROC_SNRB": [r"\bSNRBs?\b", r"\b(?:selective\s+)?nerve\s+root\s+blocks?\b"],
    "PROC_MBB": [
        r"\bMBBs?\b", r"\bmedial\s+branch\s+(?:nerve\s+)?blocks?\b",
        r"\bdiagnostic\s+facet\s+(?:joint\s+)?(?:nerve\s+)?blocks?\b",
    ],
    "PROC_FACET_IA": [r"\b(?:intra-?articular\s+|IA\s+)?facet\s+(?:joint\s+)?injections?\b"],
    "PROC_RFA": [
        r"\bRF[AN]\b", r"\bradiofrequency\s+(?:ablation|neurotomy|denervation|lesioning)",
        r"\bPRF\b", r"\bpulsed\s+radiofrequency\b",
        r"\brhizotomy\b",
    ],
    "PROC_SI": [
        r"\b(?:SI|SIJ|sacroiliac)\s+(?:joint\s+)?(?:intra-?articular\s+)?(?:steroid\s+)?"
        r"injections?\b", r"\bintra-?articular\s+(?:SI|SIJ|sacroiliac)\s+(?:joint\s+)?injections?",
    ],
    "PROC_SACRAL_LB": [
        r"\bsacral\s+lateral\s+branch(?:es)?\b", r"\blateral\s+branch\s+(?:RFA|radiofrequency|"
        r"blocks?)",
        r"\b(?:S\d[,\s]*(?:and\s+)?)+(?:(?:spinal|sacral|dorsal)\s+)?lateral\s+branch(?:es)?\b",
    ],
    "PROC_SYMPATHETIC": [
        r"\bstellate\s+ganglion\s+blocks?", r"\bSGBs?\b", r"\blumbar\s+sympathetic\s+blocks?",
        r"\bsympathetic\s+(?:nerve\s+)?blocks?",
    ],
    "PROC_SCS": [
        r"\bspinal\s+cord\s+stimulat\w+", r"\bSCS\b", r"\bdorsal\s+column\s+stimulat\w+",
        r"\bDRG\s+stimulat\w+", r"\bstimulator\s+trial", r"\b(?:revision|replacement|removal)\s+"
        r"of\s+(?:\w+\s+){0,3}?leads?\b", r"\b(?:SCS|stimulator)\s+(?:implant|revision|trial)",
        r"\btrial\s+(?=\d{1,2}/\d{1,2}/\d{2,4}\s*[-–]\s*\d)",
    ],
    "PROC_BVN": [r"\bbasivertebral\b", r"\bBVN\b", r"\bIntracept\b"],
    "PROC_INTRADISCAL": [r"\bintradiscal\b", r"\bdisc\s+allograft"],
    "PROC_ADHESIOLYSIS": [r"\badhesiolysis\b", r"\blysis\s+of\s+(?:epidural\s+)?adhesions"],
    "PROC_OTHER": [
        r"\btrigger\s+point\s+injections?\b", r"\b(?:sciatic|occipital|genicular|femoral|"
        r"suprascapular|pudendal|ilioinguinal|peripheral)\s+nerve\s+blocks?\b",
        r"\bpiriformis\s+(?:injections?|blocks?)\b",
    ],
    "PROC_GENERIC": [
        r"\b(?:spinal\s+|spine\s+|cervical\s+|lumbar\s+)?injections?\b", r"\bshots\b",
        r"\binjections?/surgery\b", r"\bprocedures\b",
        # concept: injections or blocks of any kind ("spinal inj", "any other nerve block")
        r"\b(?:spinal\s+|spine\s+|epidural\s+)?inj(?:s)?\b(?!\.?\s*(?:site|\d))",
        r"(?<=\bother\s)(?:\w+\s+)?(?:nerve\s+)?(?:injections?|blocks?|procedures?)\b"
        r"(?![^.;]{0,30}\b(?:that|same)\s+day)",
    ],
    "SURGERY": [
        r"\b(?:spine|spinal|back|neck|lumbar|cervical)\s+surgery\b", r"\bsurgery\b",
        r"\bfusion\b", r"\bACDF\b", r"\b(?:TLIF|PLIF|ALIF|XLIF)\b", r"\barthrodesis\b",
        r"\b(?:micro)?discectomy\b", r"\blaminectomy\b", r"\blaminotomy\b",
        r"\bforaminotomy\b", r"\bdecompression\b", r"\bsurgeries\b", r"injections?/surgery",
        r"\barthroplasty\b", r"\bmicrodiscectomy\b", r"\b(?:knee|hip|shoulder)\s+replacement\b",
    ],
}  # fmt: skip


IMAGING: dict[str, list[str]] = {
    "IMG_HERNIATION": [
        r"\bherniat\w*", r"\bHNP\b", r"\bprotrusions?\b", r"\bextrusions?\b",
        r"\bsequestrat\w*",
    ],
    "IMG_COMPRESSION": [
        r"\bcompress(?:es|ed|ing|ion)\b(?!\s+fractures?)", r"\bimping\w+", r"\bdisplac\w+",
        r"\beffac\w+", r"\bencas\w+", r"\bcontact(?:s|ing)\b", r"\babut(?:s|ting)\b",
    ],
    "IMG_STENOSIS_FORAMINAL": [
        r"\b(?:neural\s+|neuro-?)?foramin(?:al|a)\s+(?:disc\s+)?(?:stenosis|narrowing)",
        r"\bforamen\s+(?:\w+\s+)?narrowed", r"\bforaminal\s+stenosis",
    ],
    "IMG_STENOSIS_CENTRAL": [
        r"\b(?:central\s+)?(?:spinal\s+)?canal\s+(?:stenosis|narrowing)",
        r"\bcentral\s+(?:canal\s+)?(?:stenosis|narrowing)",
        r"\bcanal\s+or\s+(?:neural\s+)?foraminal\s+(?:stenosis|narrowing)",
    ],
    "IMG_STENOSIS_LATERAL_RECESS": [
        r"\blateral\s+recess\s+(?:stenosis|narrowing)",
        r"\b(?:in|into)\s+the\s+(?:left\s+|right\s+)?lateral\s+recess\b",
    ],
    "IMG_STENOSIS_EXTRAFORAMINAL": [r"\bextraforaminal\s+(?:stenosis|narrowing)"],
    "IMG_SYNOVIAL_CYST": [r"\bsynovial\s+cysts?\b"],
    "IMG_FACET_EFFUSION": [r"\bfacet\s+(?:joint\s+)?effusions?\b"],
    "IMG_FACET_ARTHROSIS": [
        r"\bfacet\s+(?:joint\s+)?(?:arthropathy|arthrosis|hypertrophy|arthritis|degeneration|"
        r"osteoarthritis|DJD|involvement|disease|changes)",
        r"\bfacet/ligamentum\s+flavum\s+hypertrophy",
    ],
    "IMG_MODIC": [r"\bModic\b(?:\s+type)?(?:\s+(?:1|2|3|I{1,3})\b)?"],
    "IMG_SPONDYLOLISTHESIS": [r"\b(?:spondylo|antero|retro)listhesis\b"],
    "IMG_SPONDYLOLYSIS": [r"\bspondylolysis\b", r"\bpars\s+(?:interarticularis\s+)?defects?\b"],
    "IMG_FUSION": [
        r"\bfusion\b", r"\barthrodesis\b", r"\bpedicle\s+screws?\b", r"\binterbody\s+(?:cage|"
        r"device|graft)",
    ],
    "IMG_FRACTURE": [r"\bfractures?\b"],
    "IMG_TUMOR": [r"\blesions?\b", r"\btumou?rs?\b", r"\bmass\b", r"\bmetasta\w+"],
    "IMG_INFECTION": [r"\bdiscitis\b", r"\bosteomyelitis\b", r"\babscess\b"],
    "IMG_ARACHNOIDITIS": [r"\barachnoiditis\b", r"\bclumping\s+of\s+(?:the\s+)?nerve\s+roots"],
}  # fmt: skip


PROCEDURE_SPECIFIC: dict[str, list[str]] = {
    "bvn.osteoporosis": [r"\bosteoporosis\b"],
    "bvn.metabolic_bone_disease": [r"\bmetabolic\s+bone\s+disease", r"\bosteomalacia\b",
                                   r"\bPaget'?s\s+disease"],
    "bvn.fragility_fracture_history": [r"\bfragility\s+fracture"],
    "bvn.cardiac_pulmonary_compromise": [
        r"\bsevere\s+(?:COPD|heart\s+failure|cardiac|pulmonary)", r"\bCHF\b", r"\boxygen-dependent",
    ],
    "bvn.active_implantable_device": [
        r"\bpacemaker\b", r"\bdefibrillator\b", r"\bAICD\b", r"\bimplanted\s+(?:pump|device|"
        r"stimulator)",
    ],
    "bvn.mri_contraindicated": [
        r"\bMRI\s+(?:is\s+)?contraindicated", r"\bcannot\s+have\s+(?:an\s+)?MRI",
    ],
    "bvn.concurrent_vertebral_augmentation": [
        r"\bkyphoplasty\b", r"\bvertebroplasty\b", r"\bvertebral\s+augmentation\b",
    ],
    "bvn.other_sources_ruled_out": [
        r"\bno\s+[^.;]{0,70}?\bfracture,?\s+tumou?r,?\s+(?:or|and|/)\s+infection",
        r"\bno\s+fracture/tumou?r/infection", r"\bother\s+(?:pain\s+)?sources\s+(?:have\s+been\s+)?"
        r"ruled\s+out", r"\b(?:fracture|tumou?r|infection)[^.;]{0,40}ruled\s+out",
    ],
    "bvn.er_opioids_with_addiction": [r"\bextended[\s-]release\s+opioids?\b[^.]{0,60}addiction"],
    "crps.diagnosed": [r"\bCRPS\b", r"\bcomplex\s+regional\s+pain\s+syndrome", r"\bRSD\b",
                       r"\b(?:meets\s+)?Budapest\s+criteria(?!\s+NOT)",
                       r"\breflex\s+sympathetic\s+dystrophy", r"\bcausalgia\b"],
    "crps.no_better_diagnosis": [
        r"\bno\s+other\s+diagnosis\s+(?:better\s+)?explain\w*",
        r"\bother\s+(?:causes|diagnoses|etiologies)\s+(?:have\s+been\s+)?(?:excluded|ruled\s+out)",
    ],
    "CRPS_SENSORY": [r"\bhyper(?:a)?esthesia\b", r"\ballodynia\b", r"\bhyperalgesia\b",
                     # concept: touch that should not hurt does (Budapest sensory category)
                     r"\bhypersensitiv\w*\s+to\s+(?:light\s+)?(?:touch|clothing|sheets?|water|air)",
                     r"\b(?:pain\w*|hurts?)\s+(?:\w+\s+){0,2}?(?:to|with)\s+(?:light|gentle|soft)\s+touch",
                     r"\b(?:cannot|can't|unable\s+to)\s+(?:tolerate|bear|stand)\s+(?:\w+\s+){0,3}?"
                     r"(?:touch\w*|bed\s*sheets?|sheets?|clothing|a\s+sleeve|socks?|shoes?)"],
    "CRPS_VASOMOTOR": [
        r"\btemperature(?:/colou?r)?\s+(?:asymmetry|difference|changes?)", r"\b(?:skin\s+)?colou?r"
        r"(?:/temperature)?\s+(?:changes?|asymmetry)", r"\bmottl\w+", r"\bdiscolou?ration\b",
        r"\b(?:warmer|cooler|colder)\b", r"\bpurple\b", r"\bdusky\b",
        # concept: skin colour or temperature differs from the other side
        r"\b(?:erythema\w*|cyanotic|cyanosis|blotchy|pallor|pale\s+and\s+cool|red(?:dened)?\s+and\s+"
        r"(?:warm|hot|shiny)|bluish|violaceous)\b",
        r"\b(?:temperature|colou?r)\s+(?:\w+\s+){0,2}?(?:asymmetr\w+|differen\w+)",
    ],
    "CRPS_SUDOMOTOR": [r"\bo?edema\b", r"\bswelling\b", r"\bsweating\b", r"\bhyperhidrosis\b",
                       # concept: swelling or sweating differs from the other side
                       r"\bswollen\b", r"\bpuffy\b", r"\bhypohidrosis\b", r"\bsweat(?:s|y|ier)\b",
                       r"\b(?:increased|decreased|asymmetric)\s+sweat\w*"],
    "STIM_HARDWARE": [
        r"\b(?:lead|electrode)\s+(?:migration|fracture|failure)",
        r"\bmigrat\w+\s+of\s+the\s+(?:\w+\s+){0,3}leads?", r"\blead\s+has\s+migrated",
        r"\bhardware\s+(?:failure|malfunction)",
    ],
    "CRPS_MOTOR": [
        r"\b(?:decreased|reduced|limited)\s+(?:\w+\s+)?(?:range\s+of\s+motion|ROM|motion)",
        r"\btremor\b", r"\bdystonia\b", r"\b(?:hair|nail|skin)(?:/hair|/nail|\s+and\s+nail)?\s+"
        r"(?:growth|changes)", r"\bnail/hair\s+changes", r"\btrophic\b", r"\bweakness\b",
        r"\bstiffness\b", r"\bshiny\s+skin", r"\bhair\s+growth",
        # concept: movement or the skin, hair and nails have changed (motor/trophic category)
        r"\b(?:thin|glossy|atrophic)\s+skin", r"\b(?:brittle|ridged|thickened)\s+nails?",
        r"\b(?:coarse|increased|decreased|loss\s+of)\s+hair", r"\bmuscle\s+atrophy",
        r"\b(?:reduced|decreased|limited|poor)\s+grip", r"\bcontractures?\b",
        r"\b(?:ankle|wrist)\s+DF\s+\d+\s+deg\s+\w+\s+vs",
    ],
    "si.sulcus_tenderness": [
        r"\b(?:point\s+)?(?:tender\w*|TTP)\s+(?:to\s+palpation\s+)?(?:(?:over|at)\s+(?:the\s+)?)?"
        r"(?:(?:L|R|left|right)\s+)?(?:sacral\s+sulcus|SI\s+joint|sacroiliac\s+joint|PSIS)",
        r"\b(?:sacral\s+sulcus|SI\s+joint|PSIS)\s+(?:is\s+)?tender\w*",
    ],
    "si.pain_over_si_joint": [
        r"\bpain\s+(?:\w+\s+){0,2}?(?:over|at)\s+(?:the\s+)?(?:(?:L|R|left|right)\s+)?"
        r"(?:SI|sacroiliac)\s+(?:joint|region)",
        r"\blocali[sz]ed\s+(?:over|to)\s+(?:the\s+)?(?:(?:L|R|left|right)\s+)?"
        r"(?:SI|sacroiliac)\s+(?:joint|region)", r"\btypical\s+of\s+(?:the\s+)?SI\s+joint",
        r"\b(?:SI|sacroiliac)\s+joint\s+pain\b",
        # concept: the pain is placed over the sacroiliac joint (region, area, SIJ)
        r"\b(?:over|at|around|across)\s+(?:the\s+)?(?:(?:L|R|left|right|both)\s+)?(?:SI|SIJ|"
        r"sacroiliac)\s+(?:joint\s+)?(?:region|area|joints?)\b",
        r"\b(?:SI|SIJ|sacroiliac)(?:\s+joint)?[\s-]+(?:related\s+|mediated\s+|type\s+)?pain\b",
    ],
    "si.pain_below_l5": [
        r"\bbelow\s+(?:the\s+)?(?:L5|belt\s*line|waist(?:band|line)?)",
        # concept: the buttock, gluteal and sacral regions lie below L5
        r"\b(?:buttocks?|gluteal|sacrum|sacral\s+(?:region|area))\b",
    ],
    "si.fusion_planned": [r"\b(?:SI|sacroiliac)\s+(?:joint\s+)?fusion"],
    "si.joint_previously_fused": [
        r"\b(?:SI|sacroiliac)\s+joints?\s+(?:is\s+|are\s+)?fused",
        r"\bprior\s+(?:SI|sacroiliac)\s+(?:joint\s+)?fusion", r"\bSI\s+or\s+spine\s+surgery",
    ],
    "si.equal_tenderness_elsewhere": [
        r"\b(?:equal|similar)\s+tenderness\s+(?:over|at)\s+(?:the\s+)?(?:lumbar|trochanter|hip)",
    ],
    "si.biphasic_response": [r"\bbiphasic\s+response"],
    "SI_PROVOCATIVE": [
        r"\bFABER\b", r"\bFADIR\b", r"\bPatrick'?s?\b", r"\bGaenslen'?s?\b",
        r"\bthigh\s+thrust", r"\b(?:pelvic\s+|ASIS\s+)?distraction\b",
        r"\b(?:lateral\s+iliac\s+)?compression(?=\s*(?:test|\+|-|,|\.))",
        r"\bsacral\s+(?:compression|thrust)",
    ],
    "facet.exam_consistent": [
        r"\+\s*facet\s+loading", r"\bfacet\s+loading\s*\)?\s*(?:\w+\s+)?(?:\+|positive|"
        r"reproduces)", r"\bpositive\s+facet\s+loading", r"\bfacetogenic\b",
        r"\bpain\s+(?:w/|with)\s+(?:lumbar\s+|cervical\s+)?extension(?:/|\s+and\s+)rotation",
        r"\bfacet\s+TTP\b", r"\bTTP\s+(?:over\s+)?(?:[\w&,]+[\s/-]+){0,7}?facets?\b",
        r"\bextension(?:/|\s+and\s+|-)rotation\s+(?:\(facet\s+loading\)\s+)?reproduces",
        # concept: tenderness located over the facet joints, or pain reproduced by loading them
        r"\btender(?:ness)?\s+(?:\w+\s+){0,2}(?:over|at|of|on)\s+(?:the\s+)?(?:[\w,/-]+\s+){0,6}?"
        r"(?:facet|zygapophys\w*)\s*(?:joints?)?",
        r"\b(?:facet|zygapophys\w*)\s+(?:joint\s+)?tenderness\b",
        r"\b(?:pain|symptoms)\s+(?:is\s+|are\s+|was\s+)?reproduced\s+(?:with|by|on)\s+(?:\w+\s+){0,2}"
        r"(?:extension|facet\s+loading|oblique\s+extension)",
    ],
    "facet.provocative_maneuvers_documented": [
        r"\bprovocative\s+(?:maneuvers|activities|tests)\b[^.;]{0,40}?\b(?:pre|post|documented|"
        r"recorded|before|after)", r"\bpre/post\s+(?:VAS|pain)[^.;]{0,30}provocative",
    ],
    "facet.inflammatory_arthropathy": [
        r"\brheumatoid\s+arthritis\b", r"\bankylosing\s+spondylitis\b", r"\bpsoriatic\s+"
        r"arthritis\b", r"\binflammatory\s+arthr\w+", r"\bspondyloarthropath\w+",
    ],
    "facet.dynamic_instability": [r"\b(?:dynamic\s+)?instability\b"],
    "stimulator.neuropathic_pain": [r"\bneuropathic\s+pain"],
    "stimulator.untreated_addiction": [
        r"\b(?:untreated\s+)?(?:substance|drug|alcohol)\s+(?:use\s+disorder|use|abuse|"
        r"addiction|dependence)", r"\buntreated\s+addiction", r"\bopioid\s+misuse",
    ],
    "stimulator.mental_health_cleared": [
        r"\b(?:psych\w*|behavioral\s+health)\s+(?:evaluation|eval|clearance)\b[^\n;]{0,60}?"
        r"(?:cleared|obtained|candidate|appropriate)", r"\bcleared\s+(?:by|for)\s+(?:psych\w*|SCS)",
        r"\bwas\s+cleared\s+for\s+(?:SCS|stimulat\w+|the\s+trial)", r"\bcleared\s+for\s+SCS",
    ],
    "planned.postoperative_pain": [
        r"\bpost-?(?:operative|procedural|surgical)\s+pain", r"\bpost-?op\s+pain", r"\bPOD\s*#?\d",
    ],
    "planned.infusion_pump_trial": [r"\b(?:intrathecal\s+)?pump\s+trial"],
    # a second epidural after a failed first one: a different approach, level or steroid
    "planned.differs_from_prior": [
        r"\b(?:different|alternate|alternative|another|new)\s+(?:approach|level|route|steroid|"
        r"medication|technique|target|entry\s+level)\b",
        r"\b(?:switch\w*|chang\w*|convert\w*)\s+(?:\w+\s+){0,2}?to\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,3}?"
        r"(?:transforaminal|interlaminar|caudal|TFESI|ILESI|dexamethasone|triamcinolone|"
        r"methylprednisolone|betamethasone)\b",
        r"\b(?:instead\s+of|rather\s+than)\s+(?:the\s+|an?\s+)?(?:prior\s+|previous\s+)?"
        r"(?:interlaminar|transforaminal|caudal)",
    ],
    "planned.synovial_cyst_aspiration": [r"\bcyst\s+(?:aspiration|rupture)"],
}  # fmt: skip


BUILDING_BLOCKS: dict[str, list[str]] = {
    "DRUG_STEROID": [
        r"\bdexamethasone\b", r"\bDecadron\b", r"\btriamcinolone\b", r"\bKenalog\b",
        r"\bmethyl[\s-]?prednisolone\b", r"\bDepo-?Medrol\b", r"\bSolu-?Medrol\b",
        r"\bbetamethasone\b", r"\bCelestone\b",
        r"\b(?:cortico)?steroids?\b",
    ],
    "DRUG_ANESTHETIC": [
        r"\blidocaine\b", r"\bbupivacaine\b", r"\bMarcaine\b", r"\bropivacaine\b",
        r"\blocal\s+anesthetic\b", r"\banesthetic\b",
    ],
    "RELIEF": [
        r"\brelief\b", r"\bimprovement\b", r"\breduction\b", r"\bresponse\b", r"\bbetter\b",
        r"\bbenefit\b",
    ],
    "PLAN_CUE": [
        r"\bplan(?:s|ned)?\b", r"\brequest(?:s|ed)?\b", r"\brecommend\w*", r"\bschedul\w+",
        r"\bwill\s+(?:proceed|perform|do|plan)\b", r"\bproceed\s+with\b", r"\bproposed\b",
        r"\bwould\s+like\s+to\s+(?:try|proceed)", r"\bwishes\s+to\s+proceed",
    ],
}  # fmt: skip
