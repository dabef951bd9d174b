"""The guideline's top-level sections: their titles as printed and the slugs used in passage ids.

Owned here so that the converter (which must recognise a section title) and the chunker (which
names passages after it) agree on one table.
"""

from __future__ import annotations

import re

# Top-level ("##") sections of the Carelon Interventional Pain Management guideline, in order.
# A new version may add or rename a section: the converter also reads the Table of Contents, and
# an unknown title gets a slug from `fallback_section_slug`.
KNOWN_TOP_SECTIONS: dict[str, str] = {
    "Description and Application of the Guidelines": "application",
    "General Clinical Guideline": "general",
    "Epidural and Intradiscal Injection Procedures and Diagnostic Selective Nerve Root Blocks": (
        "epidural"
    ),
    "Paravertebral Facet Injection/Medial Branch Nerve Block/Neurolysis and Intraosseous "
    "Basivertebral Nerve Ablation": "facet",
    "Regional Sympathetic Nerve Block": "sympathetic",
    "Sacroiliac Joint Injection": "sacroiliac",
    "Spinal Cord and Dorsal Root Ganglion Stimulators": "stimulators",
    "History": "history",
}

# Subsection ("###") names each procedure section repeats; the Table of Contents lists them too.
KNOWN_SUBSECTIONS: tuple[str, ...] = (
    "Description",
    "Clinical Indications",
    "Contraindications",
    "Exclusions",
    "References",
    "Codes",
)

# Table captions inside a Codes subsection ("####"); code-group headings sit below them.
CODE_TABLE_HEADINGS: tuple[str, ...] = ("CPT/HCPCS", "CPT", "HCPCS")

# Slug of text that comes before the first top-level section (none in the current corpus).
FRONT_MATTER_SLUG = "front"


def slugify(text: str, max_words: int | None = None) -> str:
    """Lowercase, collapse non-alphanumeric runs to '-', optionally keep the first words."""
    words = [w for w in re.split(r"[^0-9a-z]+", text.lower()) if w]
    if max_words is not None:
        words = words[:max_words]
    return "-".join(words)


def fallback_section_slug(title: str) -> str:
    """Slug for a top-level title missing from KNOWN_TOP_SECTIONS (first two words)."""
    return slugify(title, max_words=2) or "section"


def section_slug(title: str) -> str:
    """Slug of a top-level section title (known table first, fallback otherwise)."""
    return KNOWN_TOP_SECTIONS.get(title.strip()) or fallback_section_slug(title)
