"""Overrides of one field of one event (a study's finding, a prior procedure): the event
choices a reviewer picks from, the current value, and setting it with its evidence."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from criteria.facts import EVENT_LISTS, CaseFacts, Event, Evidence
from drafting.errors import DeterminationError


class OverrideError(DeterminationError):
    """An override that cannot be applied as typed; the message says what to enter instead."""


VALUE_HELP = (
    "true / false, a number, a date YYYY-MM-DD, text, or JSON (a list for list facts); "
    "leave empty to mark the fact not documented"
)


NESTED_NAME = re.compile(
    r"(?P<list>imaging\.studies|procedures\.prior|surgery\.prior)\[(?P<event>\d+)\]"
    r"(?:\.findings\[(?P<finding>\d+)\])?\.(?P<field>\w+)"
)
# imaging.findings is derived from the studies: a finding is overridden through its study
NESTED_VIA = {"imaging.findings": "imaging.studies"}
EVENT_LIST_FACTS = tuple(EVENT_LISTS)
_MODALITY = {"mri": "MRI", "ct": "CT", "ct_myelogram": "CT myelogram", "xray": "X-ray"}


def is_nested(name: str) -> bool:
    """A field of one event (study, finding, prior procedure or surgery)."""
    return NESTED_NAME.fullmatch(name) is not None


def nested_list(name: str) -> str:
    """The event list a nested name (or an event list, or imaging.findings) belongs to."""
    match = NESTED_NAME.fullmatch(name)
    list_name = match["list"] if match else name
    return NESTED_VIA.get(list_name, list_name)


def _event_label(event: Event) -> str:
    data = event.model_dump(mode="json", exclude={"evidence", "findings"}, exclude_none=True)
    modality = data.pop("modality", None)
    parts = [_MODALITY.get(modality, modality)] if modality else []
    parts += [
        ", ".join(v) if isinstance(v, list) else str(v)
        for k, v in data.items()
        if not isinstance(v, bool) and k in ("type", "region", "date", "level", "levels", "side")
    ]
    parts += [k.replace("_", " ") for k, v in data.items() if v is True]
    parts += [f"no {k.replace('_', ' ')}" for k, v in data.items() if v is False]
    return ", ".join(parts) or "no details"


def event_choices(facts: CaseFacts, name: str) -> list[tuple[str, str]]:
    """(path, label) of every event of the list `name` belongs to, and a new one of each kind.

    For imaging studies (and imaging.findings, derived from them) each study and each of its
    findings is a choice: "imaging.studies[0]", "imaging.studies[0].findings[1]".
    """
    list_name = nested_list(name)
    events: list[Event] = list(facts.get(list_name) or [])
    noun = {"imaging.studies": "Study", "procedures.prior": "Procedure", "surgery.prior": "Surgery"}
    choices: list[tuple[str, str]] = []
    for i, event in enumerate(events):
        path = f"{list_name}[{i}]"
        choices.append((path, f"{noun[list_name]} {i + 1}: {_event_label(event)}"))
        for j, finding in enumerate(getattr(event, "findings", [])):
            label = f"{noun[list_name]} {i + 1}, finding {j + 1}: {_event_label(finding)}"
            choices.append((f"{path}.findings[{j}]", label))
        if list_name == "imaging.studies":
            new_finding = f"{path}.findings[{len(getattr(event, 'findings', []))}]"
            choices.append((new_finding, f"{noun[list_name]} {i + 1}: a new finding"))
    choices.append((f"{list_name}[{len(events)}]", f"A new {noun[list_name].lower()}"))
    return choices


def event_fields(path: str) -> list[str]:
    """The fields a reviewer may set on the event at `path` (not its evidence or findings)."""
    model = EVENT_LISTS["imaging.findings" if ".findings[" in path else nested_list(path)]
    return [f for f in model.model_fields if f not in ("evidence", "findings")]


def _parts(facts: CaseFacts, name: str) -> tuple[str, list[Event], int, int | None, str]:
    """The event list, its events, the event index, the finding index and the field of a name."""
    match = NESTED_NAME.fullmatch(name)
    if match is None:
        raise OverrideError(f"{name!r} is not a field of an event; pick one from the list")
    list_name = match["list"]
    events: list[Event] = list(facts.get(list_name) or [])
    index = int(match["event"])
    if index > len(events):
        raise OverrideError(f"{list_name} has {len(events)} events; pick one from the list")
    finding = int(match["finding"]) if match["finding"] is not None else None
    return list_name, events, index, finding, match["field"]


def _findings(event: Event | None) -> list[Event]:
    return list(getattr(event, "findings", None) or [])


def nested_value(facts: CaseFacts, name: str) -> Any:
    """The current value of one event's field (None when the event or field is not there)."""
    _list, events, index, finding, field = _parts(facts, name)
    event: Event | None = events[index] if index < len(events) else None
    if finding is not None:
        found = _findings(event)
        event = found[finding] if finding < len(found) else None
    value = getattr(event, field, None) if event is not None else None
    return value.isoformat() if isinstance(value, date) else value


def _with_field(
    event: Event | None, model: type[Event], field: str, value: Any, evidence: list[Evidence]
) -> Event:
    if field not in model.model_fields or field in ("evidence", "findings"):
        raise OverrideError(f"{field!r} is not a field of this event; pick one from the list")
    data = event.model_dump(mode="json") if event is not None else {}
    data[field] = value
    data["evidence"] = [*(e.model_dump() for e in evidence), *data.get("evidence", [])]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise OverrideError(
            f"{field}: {json.dumps(value)} is not accepted ({first['msg']}); enter {VALUE_HELP}"
        ) from None


def _set_nested(facts: CaseFacts, name: str, value: Any, evidence: list[Evidence]) -> None:
    """Set one field of one event (a new event when the index is one past the end); the
    override's quote becomes the event's first evidence."""
    list_name, events, index, finding, field = _parts(facts, name)
    event = events[index] if index < len(events) else None
    model = EVENT_LISTS[list_name]
    if finding is None:
        changed = _with_field(event, model, field, value, evidence)
    else:
        found = _findings(event)
        if finding > len(found):
            raise OverrideError(f"that study has {len(found)} findings; pick one from the list")
        old = found[finding] if finding < len(found) else None
        found[finding : finding + 1] = [
            _with_field(old, EVENT_LISTS["imaging.findings"], field, value, evidence)
        ]
        changed = (event or model()).model_copy(update={"findings": found})
    events[index : index + 1] = [changed]
    facts.set(list_name, events)
