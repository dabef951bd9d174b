"""Target rules: the concepts the extractor looks for, as regular expressions per category.

A category named like a fact (``neuro.radiculopathy``) is a yes/no concept for that fact;
an upper-case category (``PROC_ESI``, ``DRUG_STEROID``) is a building block that the extraction
rules combine. ``ABSENT_PATTERNS`` are phrases that themselves state absence ("non-radiating",
"sensation intact", "strength 5/5 throughout"): they are matched into the same category with
``is_negated`` already set, so the rules treat them like a ConText-negated mention.

Patterns are matched case-insensitively by medSpaCy's RegexMatcher; ``(?-i:...)`` marks the
case-sensitive parts (``PT`` is physical therapy, ``pt`` is the patient).
"""

from __future__ import annotations

from drafting.extraction.clinical_nlp.concepts_procedures import (
    BUILDING_BLOCKS,
    IMAGING,
    PROCEDURE_SPECIFIC,
    SURGERY_AND_PROCEDURES,
)

_LIMB = r"(?:leg|legs|arm|arms|thigh|calf|calves|shin|foot|feet|toe|hand|finger|forearm)"

_PAIN_AND_FUNCTION: dict[str, list[str]] = {
    "pain.axial": [
        r"(?-i:\bLBP\b)", r"\blow\s+back\s+pain", r"\b(?:axial|neck|mid-?back|thoracic|lumbar|"
        r"back)\s+pain", r"\blumbago\b", r"\bcervicalgia\b",
    ],
    "pain.axial_predominant": [
        r"\b(?:predominantly|primarily|mainly|predominant|isolated)\s+axial",
        r"\baxial\s+(?:pain\s+)?(?:predominant|greater)", r"\baxial\s+(?:LBP|low\s+back\s+pain)",
        r"\b(?:back|neck)\s+(?:pain\s+)?(?:>|greater\s+than|worse\s+than|more\s+than)\s+"
        + _LIMB,
    ],
    "pain.disproportionate": [
        r"\bdisproportionate\b", r"\bout\s+of\s+proportion\b",
        # concept: more pain than the injury explains
        r"\b(?:far\s+)?(?:exceeds?|beyond|greater\s+than|more\s+than|worse\s+than)\s+(?:what\s+)?"
        r"(?:would\s+be\s+|is\s+)?(?:expected|anticipated)",
        r"\b(?:excessive|exaggerated)\s+(?:for|given|relative\s+to)\s+(?:the|her|his|a)\s+",
    ],
    "function.impairment": [
        r"\bfunctional\s+(?:impairment|limitations?|decline|deficits?|loss)",
        r"\b(?:limits|limiting|interferes?\s+with|impairs)\s+(?:\w+\s+){0,3}?(?:ADLs|activities|"
        r"function|work)",
        r"\bdifficulty\s+with\s+(?:ADLs|activities\s+of\s+daily\s+living)",
    ],
    "symptoms.new_onset": [r"\bnew[\s-]+onset\b"],
    "symptoms.recurrent": [
        r"\brecurr(?:ent|ing|ence|ed)\b", r"\bpain\s+(?:has\s+)?(?:returned|back\s+to\s+baseline)",
        r"\breturned\s+to\s+(?:baseline|\d)", r"\bpain\s+(?:is\s+)?returning\b",
        r"\bback\s+to\s+baseline\b",
    ],
}  # fmt: skip

_NEURO: dict[str, list[str]] = {
    "neuro.radicular_pain": [
        # radiation as treatment ("treated by radiation", "radiation therapy") is not radiating
        r"\bradiat(?:es|ing|ed)\b",
        r"(?<!by\s)(?<!with\s)(?<!of\s)(?<!post\s)(?<!s/p\s)\bradiation\b"
        r"(?!\s+(?:therapy|oncology|treatment|treatments|exposure|oncologist|field|dose))",
        r"\bradicular\s+(?:pain|symptoms|component)",
        r"\bsciatica\b", r"\b(?:shooting|electric)\s+pain",
        r"\b" + _LIMB + r"\s+pain\b", r"\bpain\s+(?:\w+\s+){0,2}?(?:into|down)\s+(?:the\s+)?",
        r"\b" + _LIMB + r"\s+(?:symptoms|paresthesias?|tingling)",
        r"\b(?:anterior|posterior|lateral|medial|dorsal)\s+(?:thigh|leg|calf|shin|arm|forearm)"
        r"\b[^.;]{0,30}?\bpain\b", r"\bdermatomal\s+distribution",
    ],
    "neuro.dermatomal_sensory_change": [
        r"\b(?:decreased|diminished|reduced|altered|absent|impaired|loss\s+of|subjectively\s+"
        r"decreased)\s+(?:LT\s+|light\s+touch\s+|pinprick\s+|PP\s+)?(?:sensation|to\s+LT)",
        r"\bsensation\s*(?:is\s+)?(?:decreased|diminished|reduced|altered|impaired)",
        r"\bsensation:?\s+subjectively\s+decreased", r"\bdecreased\s+(?:LT|light\s+touch|pinprick)",
        r"\bhypo(?:a)?esthesia\b", r"\bnumbness\b", r"\bparesthesias?\b", r"\btingling\b",
        r"\bdermatomal\s+sensory\s+change",
    ],
    "neuro.myotomal_weakness": [
        r"(?<![\d/])[0-4][+-]?/5\b", r"\b5-/5\b", r"\bweakness\b", r"\bfoot\s+drop\b",
        r"\b(?:decreased|reduced)\s+(?:strength|motor)", r"\bmyotomal\s+weakness",
    ],
    "neuro.reflex_change": [
        r"\b(?:reflex(?:es)?|DTRs?|patellar|achilles|biceps|triceps|brachioradialis|jerk)\b"
        r"[^.;,\n]{0,25}?(?<![\d/])(?:0|1\+|trace|absent|diminished|decreased|reduced|hypoactive|"
        r"3\+|4\+|hyperactive)(?!\s*(?:and\s+)?symmetric)(?!\s+bilat)",
        r"\b(?:absent|diminished|decreased|reduced|hypoactive)\s+(?:\w+\s+){0,2}?(?:reflex|"
        r"reflexes|DTRs?|jerk)",
        r"\breflex\s+(?:abnormality|asymmetry|change)",
    ],
    "neuro.radiculopathy": [r"\bradiculopath(?:y|ies)\b", r"\bradiculitis\b"],
    "neuro.neurogenic_claudication": [
        r"\bneurogenic\s+claudication", r"\bpseudo-?claudication",
        r"\b(?:with|on)\s+(?:standing\s+and\s+)?walking[^.\n]{0,90}?(?:relieved|better|improves?)"
        r"\s+(?:by|with|when)\s+(?:sitting|leaning|flexion|bending|forward)",
        r"\bshopping\s+cart",
    ],
    "neuro.myelopathy": [
        r"\bmyelopath(?:y|ic)\b", r"(?:positive|\+)\s+Hoffmann", r"\bHoffmann'?s?\s+(?:sign\s+)?"
        r"(?:positive|\+)", r"\bclonus\b", r"\bhyperreflexia\b", r"\bupgoing\s+(?:toes?|Babinski)",
        r"\bBabinski\s+(?:positive|upgoing|\+)",
    ],
    "neuro.cord_signal_change": [
        r"\b(?:intramedullary|cord)\s+(?:T2\s+)?signal\s+(?:change|abnormality|hyperintensity)",
        r"\bmyelomalacia\b", r"\bT2\s+hyperintens\w+\s+(?:within|in)\s+the\s+(?:spinal\s+)?cord",
    ],
    "neuro.new_neurologic_deficit": [
        r"\b(?:new|progressive)\s+(?:onset\s+)?(?:focal\s+)?(?:neurologic(?:al)?\s+deficits?|"
        r"weakness|numbness|foot\s+drop)",
    ],
    "neuro.radicular_acute": [r"\b(?:acute|subacute)\s+(?:\w+\s+){0,2}?radicul\w+"],
}  # fmt: skip

_CONSERVATIVE: dict[str, list[str]] = {
    "conservative.pt_formal": [
        r"(?-i:\bPT\b)(?!\s+home)", r"\bphysical\s+therap(?:y|ist)\b", r"\bphysiotherapy\b",
        r"\b(?:formal|outpatient|skilled)\s+therapy\b",
        # concept: a therapist-led rehabilitation course under another name
        r"\bphysio\b", r"\b(?:hand|occupational|aquatic|pool|vestibular)\s+therap(?:y|ist)\b",
        r"(?-i:\bOT\b)(?=\s+(?:x|for|\d|twice|weekly))", r"\bMcKenzie\b",
    ],
    "conservative.pt_exception": [
        r"\bunable\s+to\s+(?:tolerate|participate\s+in|do|perform|attend)\s+(?:formal\s+)?"
        r"(?-i:PT)\b", r"\bunable\s+to\s+(?:tolerate|participate\s+in)\s+physical\s+therapy",
        r"\b(?:PT|physical\s+therapy)\s+(?:was\s+|is\s+)?not\s+(?:possible|tolerated|feasible)",
        r"\bintractable\s+pain",
    ],
    "conservative.home_program_tailored": [
        r"\b(?:tailored|individualized|individualised|customized|patient[\s-]specific|"
        r"personalized)\s+(?:home\s+)?(?:exercise\s+)?(?:program|HEP|exercises)",
    ],
    "conservative.home_program_instructed": [
        r"\b(?:HEP|home\s+(?:exercise\s+)?program)\s+(?:was\s+)?(?:issued|taught|instructed|"
        r"reviewed|demonstrated|given)", r"\b(?:instructed|taught|trained)\s+(?:in|on)\s+(?:a\s+)?"
        r"(?:HEP|home\s+(?:exercise\s+)?program|home\s+exercises)",
        r"\b(?:re-?demonstrat\w+|return\s+demonstration|teach-?back)",
    ],
    "conservative.home_program_compliant": [
        r"\bcompliant\s+(?:with\s+)?(?:the\s+)?(?:HEP|home)",
        r"\b(?:HEP|home\s+program)\s*\((?:compliant|adherent)\)",
        r"\b(?:HEP|home\s+(?:exercise\s+)?program)\s+(?:\d+-?\d*x/wk|daily)",
        r"\bcontinues\s+(?:\w+\s+){0,2}?(?:HEP|home\s+(?:exercise\s+)?program)",
        r"\badheren(?:t|ce)\s+(?:to|with)\s+(?:the\s+)?(?:HEP|home)",
    ],
    "conservative.compliance_documented": [
        r"\bcompliant\b", r"\badherent\b", r"\bcompliance\b", r"\battended\s+\d+\s+visits",
        r"\b\d+\s+attended\b",
    ],
    "conservative.anti_inflammatory_analgesics": [
        r"\bNSAIDs?\b", r"\banti-?inflammator(?:y|ies)\b", r"\banalgesics?\b", r"\bibuprofen\b",
        r"\b(?:Advil|Motrin|Aleve)\b", r"\bnaproxen\b", r"\bmeloxicam\b", r"\bMobic\b",
        r"\bcelecoxib\b", r"\bCelebrex\b", r"\bdiclofenac\b", r"\bVoltaren\b", r"\betodolac\b",
        r"\bnabumetone\b", r"\bketorolac\b", r"\bindomethacin\b", r"\bacetaminophen\b",
        r"\bTylenol\b", r"\btramadol\b", r"\bhydrocodone\b", r"\boxycodone\b", r"\bNorco\b",
        r"\bPercocet\b", r"\bopioids?\b", r"\bprednisone\b", r"\bMedrol\s+Dose\s*pak",
        r"\bmethylprednisolone\s+(?:dose\s*pak|taper)", r"\bsteroid\s+(?:taper|dose\s*pak)",
    ],
    "conservative.adjunctive_medications": [
        r"\bgabapentin\b", r"\bNeurontin\b", r"\bpregabalin\b", r"\bLyrica\b",
        r"\bcyclobenzaprine\b", r"\bFlexeril\b", r"\btizanidine\b", r"\bZanaflex\b",
        r"\bmethocarbamol\b", r"\bRobaxin\b", r"\bbaclofen\b", r"\bmetaxalone\b",
        r"\bduloxetine\b", r"\bCymbalta\b", r"\bamitriptyline\b", r"\bnortriptyline\b",
        r"\bmuscle\s+relaxants?\b", r"\bnerve\s+(?:membrane\s+)?stabilizers?\b",
        r"\btopiramate\b", r"\bcarbamazepine\b", r"\bvenlafaxine\b",
    ],
    "conservative.alternative_therapies": [
        r"\bacupuncture\b", r"\bchiropract\w+", r"\bmassage\b", r"\bactivity\s+modification\b",
        r"\bmodified\s+activit\w+", r"\b(?:trial\s+of\s+|period\s+of\s+)?rest\b(?!\w)",
        r"\blight\s+duty\b", r"\bmodified\s+duty\b", r"\bspinal\s+manipulation\b",
        r"\bphysical\s+modalities\b", r"\bheat\b", r"\bice\b", r"\bTENS\b",
    ],
    "conservative.completed": [
        r"\bcompleted\s+(?:\w+\s+){0,4}?(?:PT|physical\s+therapy|course|program|sessions|visits|"
        r"therapy)", r"\b(?:PT|therapy)\s+(?:was\s+)?completed", r"\bfull\s+course\b",
        r"\b(?:d/c|discharged?)\s+(?:from\s+)?(?:skilled\s+)?(?:PT|physical\s+therapy)",
        r"\bPHYSICAL\s+THERAPY\s*-?\s*DISCHARGE", r"\bPT\s*-\s*DISCHARGE",
    ],
    "conservative.no_significant_improvement": [
        r"\bno\s+(?:significant|meaningful|substantial|appreciable|real|lasting|sustained|adequate|"
        r"further)?"
        r"\s*"
        r"(?:improvement|change|relief|benefit)", r"\bwithout\s+(?:significant\s+|meaningful\s+)?"
        r"(?:relief|improvement|benefit)", r"\bgoals\s+not\s+met\b", r"\bpain\s+unchanged\b",
        r"\bnot\s+improved\b", r"\bdid\s+not\s+(?:help|improve)", r"\bminimal\s+(?:relief|"
        r"improvement|benefit)", r"\bfailed\s+(?:\d+\s+(?:wks?|weeks?|months?)\s+(?:of\s+)?)?"
        r"(?:PT|physical\s+therapy|conservative|therapy|treatment|medications?)",
        r"\bfailure\s+of\s+conservative", r"\bpersistent\s+(?:pain|symptoms)\s+despite",
        # concept: the treatment changed nothing ("did not change the pain", "none of it helped")
        r"\b(?:did\s+not|didn't|does\s+not|doesn't|has\s+not|hasn't|have\s+not|haven't)\s+"
        r"(?:really\s+|much\s+)?(?:change|help|improve|relieve|alter|touch)(?:d|ed)?\b",
        r"\bnone\s+of\s+(?:it|this|these|them|which)\s+(?:has\s+|have\s+)?(?:helped|worked)",
        r"\b(?:no|little|not\s+much)\s+(?:better|difference)\b",
        r"\bno\s+(?:lasting\s+|real\s+)?(?:effect|gain)\b",
        # concept: the care changed nothing ("made no real difference", "none of it made a
        # meaningful difference", "ended up about where she started")
        r"\b(?:made|makes|make|making)\s+(?:no|little|hardly\s+any)\s+(?:\w+\s+)?difference\b",
        r"\bnone\s+of\s+(?:it|this|these|them|which)\s+(?:has\s+|have\s+)?(?:made|make)\s+"
        r"(?:a|any|much)\s+(?:\w+\s+)?difference\b",
        r"\b(?:did\s+not|didn't|has\s+not|hasn't|have\s+not|haven't)\s+(?:make|made)\s+(?:a|any|"
        r"much)\s+(?:\w+\s+)?difference\b",
        r"\b(?:back\s+to|about|roughly|right|much)\s+where\s+(?:she|he|they|the\s+patient)\s+"
        r"(?:had\s+)?(?:started|began)\b",
        r"\b(?:scale|score|function|symptoms|pain|PSFS|ODI|outcome\s+measures?)\s+(?:was\s+|were\s+|is\s+|"
        r"are\s+|remained\s+|remains\s+)?unchanged\b",
    ],
    "conservative.ongoing": [
        r"\bcontinues?\s+(?:with\s+)?(?:\w+\s+){0,2}?(?:HEP|home\s+(?:exercise\s+)?program|PT|"
        r"physical\s+therapy|exercises)", r"\bongoing\s+(?:PT|physical\s+therapy|HEP|home\s+"
        r"exercise|rehab\w*)",
        # concept: still taking part in a program or therapy
        r"\b(?:is|remains|currently)\s+(?:enrolled|participating|engaged)\s+in\b",
        r"\b(?:still|currently)\s+(?:attend\w*|doing|does|in)\s+(?:\w+\s+){0,2}?(?:PT|physio\w*|"
        r"therapy|rehab\w*|home\s+(?:exercise\s+)?program\w*|HEP|exercises)",
    ],
    "conservative.comprehensive_pain_program": [
        r"\bcomprehensive\s+pain\s+(?:management\s+)?program", r"\bmultidisciplinary\s+(?:pain\s+)?"
        r"(?:program|management)", r"\bfunctional\s+restoration\s+program",
        r"\binterdisciplinary\s+pain", r"\bcomprehensive\s+program\b",
        r"\bpain\s+psychology\b[^.;]{0,40}\bongoing",
        r"\bPT\b[^.;]{0,40}\bongoing[^.;]{0,60}\bpain\s+psychology",
    ],
}  # fmt: skip


_CONTRA_AND_PATIENT: dict[str, list[str]] = {
    "contra.malignancy": [
        r"\bcancer\b", r"\bmalignan\w+", r"\bmetasta\w+", r"\bcarcinoma\b", r"\blymphoma\b",
        r"\bmyeloma\b", r"\bsarcoma\b", r"\bonc(?:ology)?\s+hx\b",
    ],
    "contra.infection_risk": [
        r"\bIV\s+drug\s+use", r"\bIVDU\b", r"\bimmunosuppress\w+", r"\bimmunocompromised\b",
        r"\bendocarditis\b", r"\bbacteremia\b",
    ],
    "contra.coagulopathy": [
        r"\bcoagulopathy\b", r"\bbleeding\s+(?:disorder|diathesis|tendency)",
        r"\bhemophilia\b", r"\bthrombocytopenia\b", r"\bvon\s+Willebrand",
    ],
    "contra.anticoagulant": [
        r"\banticoagula\w+", r"\bwarfarin\b", r"\bCoumadin\b", r"\bapixaban\b", r"\bEliquis\b",
        r"\brivaroxaban\b", r"\bXarelto\b", r"\bdabigatran\b", r"\bPradaxa\b", r"\bedoxaban\b",
        r"\benoxaparin\b", r"\bLovenox\b", r"\bheparin\b", r"\bclopidogrel\b", r"\bPlavix\b",
        r"\bantiplatelets?\b", r"\bblood\s+thinners?\b",
        r"\b(?:enoxaparin|heparin|Lovenox)\s+prophylaxis",
    ],
    "contra.acute_trauma": [
        r"\btrauma\b", r"\bMVA\b", r"\bfall\b",
        r"\bmotor\s+vehicle\s+(?:accident|collision)",
    ],
    "contra.cauda_equina": [
        r"\bcauda\s+equina\s+syndrome", r"\bsaddle\s+(?:anesthesia|numbness|paresthesia)",
        r"\bbowel(?:/|\s+or\s+|\s+and\s+)bladder\s+(?:changes|dysfunction|incontinence|sx|"
        r"symptoms|change)", r"\b(?:urinary|fecal|bowel|bladder)\s+(?:incontinence|retention)",
    ],
    "contra.conus_medullaris": [r"\bconus\s+medullaris\s+syndrome"],
    "contra.epidural_hematoma": [r"\bepidural\s+hematoma"],
    "contra.epidural_abscess": [r"\bepidural\s+abscess"],
    "contra.epidural_mass": [r"\bepidural\s+(?:mass|tumor|lesion)"],
    "contra.subarachnoid_hemorrhage": [r"\bsubarachnoid\s+hemorrhage"],
    "contra.spinal_cord_ischemia": [r"\b(?:spinal\s+)?cord\s+ischemia"],
    "contra.spinal_fracture": [
        r"\b(?:compression|vertebral|spinal|spine|burst|pars)\s+fractures?", r"\bfractures?\b",
    ],
    "contra.demyelinating_disease": [
        r"\bmultiple\s+sclerosis\b", r"\bdemyelinat\w+", r"\btransverse\s+myelitis",
    ],
    "contra.systemic_infection": [
        r"\bsepsis\b", r"\bsystemic\s+infection", r"\bfevers?\b", r"\bfebrile\b", r"\bchills\b",
    ],
    "contra.local_infection": [
        r"\b(?:local|skin|site)\s+infection", r"\bcellulitis\b", r"\binfection\s+at\s+(?:the\s+)?"
        r"(?:injection\s+)?(?:site|back)",
    ],
    "contra.spine_infection": [r"\bosteomyelitis\b", r"\bdiscitis\b", r"\bspinal\s+infection"],
    "contra.spinal_tumor": [
        r"\b(?:spinal|vertebral|osseous|bone)\s+(?:tumor|lesion|metastas\w+)",
        r"\bvertebral\s+body\s+lesion", r"\bmarrow\s+replacing\s+lesion",
    ],
    "contra.significant_deformity": [
        r"\b(?:significant|severe)\s+(?:scoliosis|kyphosis|deformity)",
    ],
    "contra.uncontrolled_diabetes": [
        r"\b(?:uncontrolled|poorly\s+controlled)\s+(?:diabetes|DM\d?|T2DM)",
        r"\b(?:diabetes|DM\d?)\s+(?:is\s+)?(?:uncontrolled|poorly\s+controlled)",
    ],
    "contra.contrast_allergy": [
        r"\b(?:contrast|iodine|iodinated\s+contrast)\s+allerg\w+",
        r"\ballerg\w+\s+to\s+(?:iodinated\s+)?(?:contrast|iodine)",
    ],
    "contra.osteoporotic_fracture_risk": [
        r"\bosteoporo\w+", r"\b(?:chronic|long-?term)\s+(?:steroid|corticosteroid|prednisone)",
    ],
    "patient.pregnant": [r"\bpregnan(?:t|cy)\b"],
    "patient.lactating": [r"\blactating\b", r"\bbreast-?feeding\b"],
    "patient.pacemaker_dependent": [r"\bpacemaker[\s-]dependent"],
}  # fmt: skip


CONCEPT_PATTERNS: dict[str, list[str]] = {
    **IMAGING,
    **_PAIN_AND_FUNCTION,
    **_NEURO,
    **_CONSERVATIVE,
    **SURGERY_AND_PROCEDURES,
    **_CONTRA_AND_PATIENT,
    **PROCEDURE_SPECIFIC,
    **BUILDING_BLOCKS,
}

ABSENT_PATTERNS: dict[str, list[str]] = {
    "planned.differs_from_prior": [  # the same technique as the earlier injection, said so
        r"\b(?:same|identical|unchanged)\s+(?:approach|level|levels|technique|medication|steroid|"
        r"injectate|procedure|route)\s+as\s+(?:before|previously|last\s+time|(?:the|his|her)\s+"
        r"(?:prior|previous|last|first|initial|earlier))",
        r"\brepeat\s+(?:the\s+)?(?:same|identical)\b",
    ],
    "si.joint_previously_fused": [
        r"\b(?:SI|sacroiliac)\s+joints?\s+(?:is\s+|are\s+)?(?:not|un)\s*-?\s*fused",
    ],
    "pain.axial_predominant": [
        r"\b" + _LIMB + r"\s+(?:pain\s+)?(?:>|greater\s+than|worse\s+than|more\s+than)\s+"
        r"(?:back|neck)", r"\b(?:leg|arm)-predominant", r"\bpredominantly\s+radicular",
    ],
    "neuro.radicular_pain": [
        r"\bnon-?radiating\b", r"\bnon-?radicular\b", r"\bno\s+radiation\b",
        r"\b(?:does\s+not|doesn't)\s+radiate", r"\bwithout\s+radiation\b",
        r"\bno\s+(?:leg|arm)\s+(?:symptoms|pain)",
        # concept: the pain is said to stay in the spine, not to reach a limb
        r"\b(?:does\s+not|doesn't|do\s+not|don't|never|not)\s+(?:\w+\s+)?(?:travel|radiat|go|"
        r"spread|extend|shoot)\w*\s+(?:(?:in)?to|down|below)\s+(?:either|the|his|her|their|both|any)?\s*"
        + _LIMB,
        r"\bno\s+(?:radicular|radiating)\s+(?:symptoms|pain|component|features)",
        r"\b(?:not|isn't|is\s+not)\s+(?:truly\s+|really\s+)?radicular\b",
        r"\bno\s+" + _LIMB + r"\s+(?:symptoms|pain)",
        r"\b(?:stays|remains|confined|localized|localised)\s+(?:in|to)\s+(?:the\s+)?"
        r"(?:low(?:er)?\s+)?(?:back|neck)\b",
    ],
    "neuro.dermatomal_sensory_change": [
        r"\bsensation\s+(?:is\s+)?(?:grossly\s+)?(?:intact|normal)", r"\b(?:intact|normal)\s+"
        r"sensation", r"\bneuro(?:logically)?\s+intact", r"\bsensory\s+exam\s+(?:is\s+)?"
        r"(?:normal|intact)", r"\bsensation\s+intact\s+to\s+(?:LT|light\s+touch)",
    ],
    "neuro.myotomal_weakness": [
        r"\b(?:strength|motor)\s*:?\s*(?:is\s+)?5/5(?!\s*except)", r"\b5/5\s+(?:strength\s+)?"
        r"(?:throughout|bilat\w*|symmetric)", r"\bnormal\s+strength", r"\bneuro(?:logically)?\s+"
        r"intact", r"\bstrength\s+(?:intact|normal)",
    ],
    "neuro.reflex_change": [
        r"\b(?:reflexes|DTRs?)\s*:?\s*(?:are\s+)?(?:\d\+?\s+)?(?:and\s+)?(?:symmetric|normal|"
        r"intact)", r"\b(?:reflexes|DTRs?)\s*:?\s*2\+", r"\b\d\+?\s+(?:and\s+)?symmetric",
        r"\bneuro(?:logically)?\s+intact",
    ],
    "neuro.myelopathy": [
        r"\bHoffmann'?s?\s+(?:sign\s+)?neg\w*", r"\bBabinski\s+(?:neg\w*|downgoing)",
        r"\bdowngoing\s+(?:toes|Babinski)",
    ],
    "neuro.cord_signal_change": [
        r"\bcord\s+(?:is\s+)?normal\s+in\s+(?:caliber\s+and\s+)?signal",
        r"\bnormal\s+cord\s+signal", r"\bcord\s+signal\s+(?:is\s+)?normal",
    ],
    "conservative.home_program_compliant": [
        r"\bnon-?compliant\b", r"\bpoor\s+(?:compliance|adherence)",
        r"\bnot\s+(?:doing|performing)\s+(?:the\s+|his\s+|her\s+)?(?:HEP|home\s+exercises)",
    ],
    "conservative.compliance_documented": [r"\bnon-?compliant\b", r"\bpoor\s+compliance"],
    "conservative.completed": [
        r"\bdid\s+not\s+complete", r"\bincomplete\s+(?:course|PT)", r"\b(?:stopped|quit|"
        r"discontinued)\s+(?:PT|physical\s+therapy)\s+after",
    ],
    "conservative.no_significant_improvement": [
        r"(?<!no\s)(?<!without\s)\b(?:significant|marked|excellent|good)\s+improvement\s+"
        r"(?:with|after|from)\s+"
        r"(?:PT|physical\s+therapy|conservative)",
        # concept: the pain is said to be getting better on the current care
        r"\b(?:pain|symptoms|pain\s+level|it)\s+(?:has|have|is|are)\s+(?:significantly\s+|much\s+|"
        r"greatly\s+|steadily\s+|gradually\s+)?(?:improved|improving|better|resolving)\b",
        # concept: the care is said to have changed things ("therapy made a big difference")
        r"(?<!none\sof\s)\b(?:PT|physio\w*|therapy|treatment|it|this|exercises?|medications?)\s+"
        r"(?:has\s+|really\s+)?made\s+a\s+(?:big|huge|real|marked|significant|dramatic)\s+difference",
    ],
    "surgery.consult": [
        r"\bno\s+surgical\s+(?:consult\w*|evaluation|opinion)",
        r"\bsurgical\s+(?:consult\w*|evaluation|opinion)\s+(?:is\s+)?not\s+(?:required|needed|"
        r"indicated)",
        r"\b(?:before|prior\s+to|pending|awaiting)\s+(?:a\s+)?(?:spine\s+|neuro)?surg\w*\s+"
        r"(?:consult\w*|evaluation|opinion)", r"\bhas\s+not\s+(?:seen|been\s+"
        r"evaluated\s+by)\s+(?:a\s+)?(?:spine\s+)?surg\w+",
    ],
    "surgery.considered": [
        r"\bnot\s+a\s+surgical\s+candidate", r"\bnon-?surgical\s+candidate",
        r"\b(?:declines|refuses|does\s+not\s+want)\s+surgery",
    ],
    "contra.uncontrolled_diabetes": [
        r"\b(?:DM\d?|T2DM|diabetes)\s+(?:is\s+)?(?:well[\s-]controlled|controlled)",
        r"\bno\s+(?:DM|diabetes)\b",
    ],
    "contra.anticoagulant": [r"\bnot\s+on\s+(?:any\s+)?(?:anticoagula\w+|blood\s+thinners)"],
    "contra.systemic_infection": [r"\bafebrile\b"],
    "contra.coagulopathy": [r"\bINR\s+(?:0\.[89]|1\.[0-2])\b"],
    "patient.pacemaker_dependent": [r"\bno\s+pacemaker\b"],
    "si.equal_tenderness_elsewhere": [
        r"\b(?:lumbar|paraspinals?|greater\s+trochanter|hip|coccyx)[^.;]{0,60}\bnon-?tender",
    ],
    "bvn.er_opioids_with_addiction": [r"\bnot\s+on\s+(?:any\s+)?opioids", r"\bno\s+opioids\b"],
    "facet.exam_consistent": [r"\bfacet\s+loading\s+(?:is\s+)?neg\w*"],
}  # fmt: skip
