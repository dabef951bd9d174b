"""The medSpaCy pipeline, built once per process: tokens, sentences, line breaks, targets, ConText.

No model is downloaded: medSpaCy's tokenizer and ConText rules ship in the wheel. Sentences come
from spaCy's punctuation sentencizer plus the clinical line-break rule below; PyRuSH (medSpaCy's
clinical sentence splitter) cost 2.3 s per 100k characters and, measured on every gold source
(own, external, real, new: 135 cases), gave the same facts and decisions, so it is not used.
The target matcher writes overlapping spans to a span group (``SPAN_GROUP``) so a concept inside a
longer one survives, and ConText reads that group. Besides medSpaCy's default ConText rules this
module adds clinic-note triggers (``hx of``, ``s/p``, ``if``, ``suspect``), clause terminators
(``;``, ``but``), pseudo-triggers that only look negative ("no significant improvement") and a
``PLANNED`` category for plan language ("plan", "will proceed with", "request"), which tells a
planned procedure from a prior one. `load_seconds()` reports how long the first build took.
"""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any

from drafting.extraction.clinical_nlp.concepts import ABSENT_PATTERNS, CONCEPT_PATTERNS

SPAN_GROUP = "medspacy_spans"
PLANNED = "PLANNED"

_FORWARD = "FORWARD"
_BACKWARD = "BACKWARD"
# the reason for a referral is what is to be done ("referred here for ESI", "sent to us for
# lumbar medial branch blocks"), a few words only: "Referred for repeat injection: last TFESI
# 03/2026 ..." tells of one done
_REFERRED_FOR = (
    "referred here for", "referred for", "referred to us for", "referred to me for",
    "referred to our clinic for", "referred to this clinic for", "sent here for",
    "sent to us for", "referred back for",
)  # fmt: skip
_CONTEXT_ADDITIONS: list[tuple[str, str, str]] = [
    *((term, "NEGATED_EXISTENCE", _FORWARD) for term in (
        "denies", "denied", "neg for", ": neg", ": negative", "negative for", "resolution of",
        "neg:", "negative:", "neg for:", "negative for:", "pertinent negatives:",
        # longer than the backward "is negative", so that "he is negative for fever" negates fever
        "is negative for", "was negative for", "are negative for", "were negative for",
        "is neg for", "also negative for",
        # review-of-systems negatives in other shorthand ("ROS negs: fever", "(-) chills",
        # "12 point negative incl. fever")
        "negs", "negs:", "neg'd", "(-)", "negative incl", "negative including", "negative incl.",
        "none:",
        "w/o", "without",
        "no hx of", "no history of",
        "no evidence of", "no signs of", "not on", "no prior", "no previous", "never", "has not",
        "have not", "did not", "does not", "no recent", "no new", "no known", "ruled out for",
        # a clinician's judgement that a condition is not there ("Low suspicion for cauda equina
        # / epidural abscess", "not concerning for infection")
        "low suspicion for", "low suspicion of", "low index of suspicion for",
        "low clinical suspicion for", "no suspicion for", "no suspicion of", "no concern for",
        "no concerns for", "not concerning for", "not concerned about",
        # a pathway set aside ("skipping dual MBB -> RFA pathway and going straight to IA
        # injections", "instead of an RFA", "rather than medial branch blocks")
        "skipping", "skip the", "bypassing", "bypass the", "forgoing", "forgo the",
        "instead of", "rather than",
    )),
    *((term, "NEGATED_EXISTENCE", _BACKWARD) for term in (
        "not present", "none", "not seen", "not identified", "unlikely", "were ruled out",
        "been ruled out",
        # "infection not a concern", "fracture is not a concern"
        "not a concern", "is not a concern", "not of concern", "not a worry",
    )),
    *((term, "HISTORICAL", _FORWARD) for term in (
        "hx of", "hx", "history of", "s/p", "status post", "prior", "previous", "previously",
        "in the past",
    )),
    # a symptom set against an earlier one ("this is nothing like the sciatica I had before"):
    # today's is not that, and that one was then
    *((term, "NEGATED_EXISTENCE", _FORWARD) for term in (
        "nothing like", "not like the", "unlike the", "unlike her", "unlike his",
    )),
    *((term, "HISTORICAL", _BACKWARD) for term in (
        "i had before", "she had before", "he had before", "had before", "i had back then",
    )),
    *((term, "HYPOTHETICAL", _FORWARD) for term in (
        "if", "should", "would", "in case", "in the event", "unless", "whether", "consider",
        "possibility of", "raised the possibility", "at some point in the future",
        "could think about", "might think about", "could consider", "might consider",
        "may consider", "discussed", "alternative", "goal", "goals", "expect", "anticipate",
        "risks", "provided the", "provided that", "as long as", "assuming",
        # return precautions: what to come back for, not what the patient has
        "to ed for", "to the ed for", "to er for", "to the er for", "return precautions",
        "ed precautions", "er precautions", "warning signs", "precautions for",
        "report to us", "asked to report", "instructed to report", "told to report",
        # a screen of red flags lists what was asked about, not what was found
        "red flags reviewed", "red flag symptoms reviewed", "reviewed red flags",
    )),
    *((term, "HYPOTHETICAL", _BACKWARD) for term in (
        "if any", "if present", "if these occur", "if they occur", "if any occur",
        "should they occur",
        # a procedure said not to be planned ("medial branch blocks, but that is not something
        # we are planning now")
        "not something we are planning", "not something we're planning", "is not planned",
        "are not planned", "not being planned",
    )),
    # return precautions, before or after the symptom ("go to the ED for any saddle numbness",
    # "New bowel or bladder symptoms, go to the ER")
    *((term, "HYPOTHETICAL", "BIDIRECTIONAL") for term in (
        "go to the er", "go to the ed", "go to er", "go to ed", "seek immediate care",
        "seek emergency care", "call 911", "return to the ed", "return to ed",
        "seek immediate medical attention", "seek medical attention", "seek medical care",
        "seek urgent care", "call the office", "call our office", "call the clinic",
        "notify the office", "notify our office",
    )),
    *((term, "POSSIBLE_EXISTENCE", _FORWARD) for term in (
        "suspect", "suspected", "possible", "probable", "questionable", "concern for",
        "cannot exclude", "evaluate for", "test for", "assess for", "look for", "check for",
        "concerned about",
        # a radiologist's question ("questions a nondisplaced fracture; CT recommended")
        "questions a", "questions an", "questioned a", "questioned an", "query",
        # a work-up names what was looked for, not what was found
        "worked up for", "work up for", "workup for", "work-up for", "evaluated for",
        "screened for",
        # a radiologist's hedge: what a finding can go with, not what it shows
        "can accompany", "may accompany", "can be associated with", "may be associated with",
        "may represent", "could represent", "may reflect", "can indicate", "may indicate",
        "raises the possibility of", "to exclude", "to rule out", "indeterminate",
        # a differential names what a finding could be ("Differential for the L4-5 endplate
        # signal includes early discitis; however ... favoring degenerative Modic type 1")
        "differential includes", "differential diagnosis includes", "differential for",
        "differential considerations include", "ddx includes", "ddx:", "differential:",
    )),
    # a hedge told after the finding ("an osseous metastasis cannot be excluded")
    *((term, "POSSIBLE_EXISTENCE", _BACKWARD) for term in (
        "cannot be excluded", "can not be excluded", "can't be excluded", "not excluded",
        "cannot be ruled out", "can not be ruled out", "can't be ruled out", "not ruled out",
        "cannot be entirely excluded", "not entirely excluded", "is possible", "remains possible",
        "in the differential", "on the differential", "in the ddx",
        # a cause still open ("infectious spondylodiscitis not yet excluded", "raised early
        # discitis as a differential")
        "not yet excluded", "not yet ruled out", "as a differential", "as a possibility",
    )),
    *((term, "FAMILY", _FORWARD) for term in (
        "family history", "mother", "father", "sibling", "siblings", "brother", "sister",
        "son", "daughter", "parent", "parents", "grandmother", "grandfather", "aunt", "uncle",
        "cousin", "fhx", "fam hx",
    )),
    *((term, PLANNED, "BIDIRECTIONAL") for term in (
        "scheduled", "deferred", "pending", "delayed", "rescheduled",
        # a form's referral with its booking ("Surgical consultation: [X] Referred - appt 11/19")
        "appt",
    )),
    *((term, PLANNED, _BACKWARD) for term in ("postponed", "cancelled", "canceled")),
    *((term, PLANNED, _FORWARD) for term in (
        "plan", "planned", "plans", "will", "schedule", "scheduling", "recommend",
        "recommended", "recommends", "request", "requested", "requests", "proceed with",
        "proposed", "to undergo", "would like to", "wishes to", "refer", "referral", "next step",
        # "candidate for" is planned only: were it hypothetical too, which of the two matched
        # would depend on the order of the rules
        "authorization", "authorized", "candidate for",
        # British and letter phrasings of a booked procedure
        "arranged", "have arranged", "booked", "listed for", "propose", "we propose", "intend to",
        "intends to", "to be performed", "awaiting", "listed him", "listed her", "booked him",
        "booked her", "put him down for", "put her down for", "waiting list for",
        # a prior authorization is a request, and its "prior" is not history
        "prior authorization", "prior auth", "prior-authorization", "prior approval",
    )),
    *((term, "TERMINATE", "TERMINATE") for term in (
        ";", "but", "however", "except", "although", "though", "whereas", "despite",
        # a consequence clause starts ("he has never been to PT, so I went through a home program")
        "so i", "so we", "and so", "therefore", "thus", "hence", "which is why",
        # a new clause with its own subject ("was recommended for a nerve block and the patient
        # received an epidural ...": what he received is not what was recommended)
        "and the patient", "and he", "and she",
    )),
    *((term, "PSEUDO", "PSEUDO") for term in (
        "no significant improvement", "no improvement", "no change", "no relief", "not resolved",
        "never resolved", "has not resolved",
        "no significant change", "no meaningful improvement", "not improved", "no better",
        "without relief", "without improvement", "without significant relief", "no further",
        "no significant relief", "no lasting relief", "not only", "no increase", "without help",
        "not less", "no less", "if not more",
        # a clinician's judgment, not a hypothesis ("For her I consider medial branch
        # denervation contraindicated")
        "i consider", "we consider", "i do consider",
        "without assistance", "without a rail", "without rail", "w/o rail", "without stopping",
        "without sitting", "without reaction", "despite unremarkable", "despite an unremarkable",
        "despite normal", "despite a normal", "despite negative",
        # a problem only partly gone is still there
        "partially resolved", "partly resolved", "incompletely resolved", "not fully resolved",
        "not completely resolved", "mostly resolved",
        # a procedure note's safety line negates its effects, not the drugs it goes on to name
        # ("No adverse affects with 1% lidocaine were noted and subsequently 1 mL of Celestone
        # was injected")
        "no adverse", "no complications", "no complication", "without complications",
        "without complication", "without adverse", "no untoward",
        # a comparison, not a supposition ("pain far greater than would be expected from a
        # healed fracture, and nothing else explains the picture")
        "would be expected", "would have been expected", "would be anticipated",
        "would normally be expected", "would typically be expected",
    )),
]  # fmt: skip

_lock = threading.Lock()
_nlp: Any = None
_load_seconds: float | None = None


def _silence_pyrush_logging() -> None:
    """PyRuSH logs every sentence at DEBUG through loguru; switch those loggers off. spaCy also
    warns (W036) on every document that medSpaCy's token matcher has no token patterns: ours are
    all regular expressions, so that warning is expected and silenced."""
    warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru is a PyRuSH dependency
        return
    for name in ("PyRuSH", "medspacy"):
        logger.disable(name)


def _target_rules() -> list[Any]:
    from medspacy.target_matcher import TargetRule

    rules = [
        TargetRule(literal=f"{category}#{index}", category=category, pattern=pattern)
        for category, patterns in CONCEPT_PATTERNS.items()
        for index, pattern in enumerate(patterns)
    ]
    rules.extend(
        TargetRule(
            literal=f"{category}!{index}",
            category=category,
            pattern=pattern,
            attributes={"is_negated": True},
        )
        for category, patterns in ABSENT_PATTERNS.items()
        for index, pattern in enumerate(patterns)
    )
    return rules


# Default rules left out: ": no" (meant for "Fever: no") would swallow "Findings: No herniation"
# and negate backwards, leaving the herniation affirmed; "free" and "prophylaxis" (backwards)
# would negate "lumbar epidural, preservative-free morphine" and "enoxaparin prophylaxis".
# "resolved" (forward) would negate "surgery" in "leg pain resolved after surgery" and leave
# the leg pain affirmed: it negates the few words before it instead (see _SHORT_BACKWARD).
# "evaluate for" and "test for" (NegEx negations) would negate what a plan sets out to look for
# ("flexion-extension films ordered to evaluate for dynamic instability"): it is uncertain, so
# they are possible-existence triggers here. NegEx's "ruled out" looks forward and, matching the
# same words, hides our backward one: "Metastasis ruled out" is a negation of what comes before.
_DROPPED_DEFAULTS = {
    ": no", "free", "prophylaxis", "resolved", "evaluate for", "test for", "ruled out",
}  # fmt: skip


# Post-positioned negations reach only the few words before them ("SLR neg", "Hoffmann neg",
# "reflexes absent", "leg pain resolved"), not a whole exam line of findings.
_SHORT_BACKWARD = (
    "negative",
    "neg",
    "absent",
    "unremarkable",
    "normal",
    "resolved",
    "settled",
    "subsided",
    "ruled out",  # "M46.1 ruled out" in an aside does not reach the diagnosis before it
)
# a procedure named and then not taken ("MBBs 11/2025 ~20% for an hour, RFA not pursued"); only
# a procedure's ("febrile URI, not done" cancels the block, not the fever)
_NOT_TAKEN = ("not pursued", "never pursued", "not performed", "never performed", "not done",
              "never done")  # fmt: skip
_SHORT_SCOPE = 4
# a therapy named and then said not to have begun ("PT: referral placed 9/29 - has NOT started");
# only a therapy's, within a few words
_NOT_STARTED = ("has not started", "not yet started", "never started", "hasn't started",
                "has not begun", "not yet begun", "did not start", "didn't start", "never began",
                "has not yet started")  # fmt: skip
# a diagnosis the clinician rejects ('Referral diagnosis "lumbar radiculopathy" - not supported
# by history or exam today'), a few words before
_REJECTED = ("not supported by", "is not supported", "not borne out", "unsupported by",
             "not substantiated")  # fmt: skip
_THERAPY_CATEGORIES = {
    "conservative.pt_formal", "conservative.alternative_therapies",
    "conservative.home_program_instructed", "conservative.home_program_compliant",
}  # fmt: skip
# an estimate of what may happen ("FRAX: 10-year probability of major osteoporotic fracture
# 7.9%"), not a fracture that has
_ESTIMATES = ("probability", "risk of", "risk for", "frax", "10-year risk")
_PROCEDURE_CATEGORIES = {
    "PROC_ESI", "PROC_SNRB", "PROC_MBB", "PROC_FACET_IA", "PROC_RFA", "PROC_SI", "PROC_SACRAL_LB",
    "PROC_SYMPATHETIC", "PROC_SCS", "PROC_BVN", "PROC_INTRADISCAL", "PROC_ADHESIOLYSIS",
    "PROC_OTHER", "PROC_GENERIC", "SURGERY",
}  # fmt: skip


def _context_rules(default_rules_path: str) -> list[Any]:
    from medspacy.context import ConTextRule

    defaults = [
        rule
        for rule in ConTextRule.from_json(default_rules_path)
        if rule.literal.lower() not in _DROPPED_DEFAULTS
    ]
    short = [
        ConTextRule(
            literal=term, category="NEGATED_EXISTENCE", direction=_BACKWARD, max_scope=_SHORT_SCOPE
        )
        for term in _SHORT_BACKWARD
    ] + [
        ConTextRule(
            literal=term, category="NEGATED_EXISTENCE", direction=_BACKWARD,
            max_scope=_SHORT_SCOPE, allowed_types=_PROCEDURE_CATEGORIES,
        )
        for term in _NOT_TAKEN
    ] + [
        ConTextRule(
            literal=term, category="HYPOTHETICAL", direction=_FORWARD,
            allowed_types={"contra.spinal_fracture", "IMG_FRACTURE"},
        )
        for term in _ESTIMATES
    ] + [
        ConTextRule(literal=term, category=PLANNED, direction=_FORWARD, max_scope=4)
        for term in _REFERRED_FOR
    ] + [
        ConTextRule(
            literal=term, category="NEGATED_EXISTENCE", direction=_BACKWARD, max_scope=8,
            allowed_types=_THERAPY_CATEGORIES,
        )
        for term in _NOT_STARTED
    ] + [
        ConTextRule(
            literal=term, category="NEGATED_EXISTENCE", direction=_BACKWARD, max_scope=6
        )
        for term in _REJECTED
    ]  # fmt: skip
    return (
        defaults
        + short
        + [
            ConTextRule(literal=term, category=category, direction=direction)
            for term, category, direction in _CONTEXT_ADDITIONS
        ]
    )


LINE_BREAKS = "clinical_line_breaks"


def _register_line_breaks() -> None:
    """A component that starts a sentence at every new line that does not continue the last one,
    and at no abbreviation's period ("incl.", "approx.": `lexicons/sentence_abbreviations.yaml`).

    The sentencizer joins lines that lack end punctuation ("Diagnostic blocks (...no steroid):"
    and the "- MBB #1 ..." bullet under it), and ConText scopes run to the sentence end, so a
    "no" on a header would negate the next line. A line starting with a lower-case word
    continues the previous one (a wrapped sentence); any other line starts a sentence.
    """
    from spacy.language import Language
    from spacy.tokens import Doc

    if LINE_BREAKS in Language.factories:
        return

    from drafting.extraction.lexicons import patterns

    abbreviation = patterns("sentence_abbreviations")["abbreviation"]
    title = patterns("sentence_abbreviations")["title"]

    @Language.component(LINE_BREAKS)
    def line_breaks(doc: Doc) -> Doc:
        # "negative incl. fever": the sentencizer's split after an abbreviation's period is undone
        for token in doc[2:]:
            stop, word = doc[token.i - 1], doc[token.i - 2]
            if (
                token.is_sent_start
                and stop.text == "."
                and not word.whitespace_
                and abbreviation.match(word.text + ".")
                and "\n" not in stop.whitespace_
            ):
                token.is_sent_start = False
        # the tokens (but the last) whose text or trailing space holds a line break
        for index in tokens_with_line_breaks(doc):
            following = doc[index + 1]
            if following.is_space or following.text[:1].islower():
                continue
            before = doc[index - 1] if doc[index].is_space and index else doc[index]
            if title.match(before.text) or abbreviation.match(before.text):
                continue  # "(Dr.\nAshworth)": the name goes on the next line
            following.is_sent_start = True
        return doc


def tokens_with_line_breaks(doc: Any) -> list[int]:
    """Indexes of the tokens but the last whose text or trailing whitespace holds a newline.

    The tokenizer splits the text at whitespace and keeps at most one trailing space per token,
    so a newline is only ever inside a whitespace token: those are the only ones looked at.
    """
    import numpy as np
    from spacy.attrs import IS_SPACE

    if len(doc) < 2:
        return []
    spaces = np.flatnonzero(doc.to_array(IS_SPACE)[:-1])
    return [int(index) for index in spaces if "\n" in doc[int(index)].text]


def _build() -> Any:
    _silence_pyrush_logging()
    import medspacy
    from medspacy.common.regex_matcher import RegexMatcher

    from drafting.extraction.clinical_nlp import context_fast
    from drafting.extraction.clinical_nlp.scale import match_once, read_start_literals

    RegexMatcher.__call__ = match_once  # the text built once per document, not per pattern
    context_fast.patch_graph()  # ConText compares nearby modifiers and targets only

    nlp = medspacy.load(medspacy_enable={"medspacy_tokenizer"})
    nlp.add_pipe("sentencizer")
    _register_line_breaks()
    nlp.add_pipe(LINE_BREAKS, after="sentencizer")
    matcher = nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    matcher.add(_target_rules())
    read_start_literals(matcher._TargetMatcher__matcher._MedspacyMatcher__regex_matcher)
    context = nlp.add_pipe(
        "medspacy_context",
        config={"input_span_type": "group", "span_group_name": SPAN_GROUP, "rules": None},
    )
    context.add(_context_rules(context.DEFAULT_RULES_FILEPATH))
    context_fast.install(context)  # token-pattern triggers looked up by lower-case token
    return nlp


def load_pipeline() -> Any:
    """The shared spaCy `Language` with the medSpaCy components (built on first use)."""
    global _nlp, _load_seconds
    if _nlp is None:
        with _lock:
            if _nlp is None:
                started = time.perf_counter()
                _nlp = _build()
                _load_seconds = time.perf_counter() - started
    return _nlp


def load_seconds() -> float | None:
    """Seconds the first `load_pipeline()` took in this process (None before it ran)."""
    return _load_seconds
