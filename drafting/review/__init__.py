"""What a reviewer does with a result: override facts (flat or one field of an event), see the
evidence that decided each criterion, edit, re-lint, export and sign the letter. The app's pages
call these and nothing deeper."""

from __future__ import annotations

from drafting.review.evidence import (
    deciding_evidence,
)
from drafting.review.letter import (
    LINES_HEADER,
    SignatureError,
    export,
    letter_from_text,
    relint,
    sign,
    unsigned,
)
from drafting.review.nested import (
    EVENT_LIST_FACTS,
    NESTED_NAME,
    NESTED_VIA,
    event_choices,
    event_fields,
    is_nested,
    nested_list,
    nested_value,
)
from drafting.review.overrides import (
    RECEIVED_NOTE,
    VALUE_HELP,
    Change,
    OverrideError,
    apply_overrides,
    changes,
    new_entry,
    overridable_fact_names,
    overridden_case,
    overridden_facts,
    parse_value,
    quote_found,
)

__all__ = [
    "EVENT_LIST_FACTS",
    "LINES_HEADER",
    "NESTED_NAME",
    "NESTED_VIA",
    "RECEIVED_NOTE",
    "VALUE_HELP",
    "Change",
    "OverrideError",
    "SignatureError",
    "apply_overrides",
    "changes",
    "deciding_evidence",
    "event_choices",
    "event_fields",
    "export",
    "is_nested",
    "letter_from_text",
    "nested_list",
    "nested_value",
    "new_entry",
    "overridable_fact_names",
    "overridden_case",
    "overridden_facts",
    "parse_value",
    "quote_found",
    "relint",
    "sign",
    "unsigned",
]
