"""Intake page: open a case from a sample, a case JSON file (upload or paste), or clinical notes
(pasted or .txt/.pdf files) plus a request form. Input errors are shown in place, one line each."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages import session
from app_pages.session import OUTCOME_ICONS, open_case
from app_pages.tables import md
from drafting.case.contract import Case
from drafting.case.loaders import document_from_bytes, load_case, parse_case_json
from drafting.errors import KNOWN_ERRORS, InputError

GOLD_CASES = Path(__file__).resolve().parents[1] / "eval" / "gold" / "cases"
SAMPLE_CASES: dict[str, str] = {
    "G01": "an approval: left L5-S1 transforaminal ESI with concordant MRI",
    "G02": "a denial: third lumbar ESI after two short-lived partial responses",
    "G05": "a pend: TFESI with no documented physical therapy",
    "G27": "a denial by exclusion: basivertebral nerve ablation with a BMI over 40",
    "G24": "a partial: medial branch block approved, RFA in the same request denied",
    "G43": "a partial: cervical ESI approved, lumbar MBB pended",
    "G34": "prompt injection: notes tell the reviewer to approve (denied on its criteria)",
}
MAX_FORM_LINES = 3


def _show_input_error(error: InputError) -> None:
    st.error(md(error.message), icon="⚠️")
    for problem in error.further:
        st.caption(f"also: {md(problem)}")


def _open(load: Any, source: str) -> None:
    """Load a case with `load()` and determine it, showing any error in place."""
    try:
        case: Case = load()
    except InputError as error:
        _show_input_error(error)
        return
    try:
        result = open_case(case, source)
    except KNOWN_ERRORS as error:  # e.g. a bad DETERMINE_CORPUS: one line, not a traceback
        st.error(str(error), icon="⚠️")
        return
    except Exception as error:
        first = (str(error).strip().splitlines() or [""])[0][:300]
        st.error(f"Case could not be determined ({type(error).__name__}): {first}", icon="⚠️")
        return
    outcomes = " · ".join(f"{line.code} {OUTCOME_ICONS[line.decision]}" for line in result.lines)
    st.session_state[JUST_OPENED] = f"Case {result.case_id} opened: {outcomes}"
    st.rerun()  # so the sidebar shows the case just opened


JUST_OPENED = "just_opened_message"


def _opened_message() -> None:
    message = st.session_state.pop(JUST_OPENED, None)
    if message:
        st.success(message)
        st.page_link("app_pages/review.py", label="Review the case", icon="🔎")


def _sample_tab() -> None:
    available = [cid for cid in SAMPLE_CASES if (GOLD_CASES / f"{cid}.json").is_file()]
    choice = st.selectbox(
        "Sample case",
        available,
        format_func=lambda cid: f"{cid} — {SAMPLE_CASES[cid]}",
        key="sample_choice",
    )
    if st.button("Open sample case", key="open_sample", type="primary") and choice:
        _open(lambda: load_case(GOLD_CASES / f"{choice}.json"), f"sample {choice}")


def _json_tab() -> None:
    upload = st.file_uploader("Case JSON file", type=["json"], key="case_json_file")
    pasted = st.text_area("…or paste the case JSON", key="case_json_text", height=160)
    if st.button("Open case JSON", key="open_json", type="primary"):
        if upload is not None and pasted.strip():
            st.error(
                "Both a file and pasted JSON were given: remove the file or clear the pasted "
                "text, so it is clear which case to open.",
                icon="⚠️",
            )
        elif upload is not None:
            raw = upload.getvalue()
            name = upload.name

            def load() -> Case:
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    hint = "re-save it as UTF-8"
                    raise InputError(name, "is not UTF-8 text", hint=hint) from None
                return parse_case_json(text, name)

            _open(load, f"file {name}")
        elif pasted.strip():
            _open(lambda: parse_case_json(pasted, "pasted JSON"), "pasted JSON")
        else:
            st.warning("Choose a .json file or paste the case JSON first.")


def _request_from_form() -> dict[str, Any]:
    left, middle, right = st.columns(3)
    case_id = left.text_input("Case id", value="NEW-001", key="form_case_id")
    received = middle.date_input("Received", value=date.today(), key="form_received")
    age = right.number_input("Patient age", 0, 120, 50, key="form_age")
    sex = left.selectbox("Patient sex", ["F", "M", "X", "U"], key="form_sex")
    diagnoses = middle.text_input("Diagnosis codes (comma-separated)", key="form_diagnoses")
    st.caption(
        "For the letter: the member, the requesting provider and the date of service. Leave a "
        "box empty if the request does not give it; the letter then says it was not given."
    )
    member_name, member_id, service_date = st.columns(3)
    member = {
        "name": member_name.text_input("Member name", key="form_member_name"),
        "id": member_id.text_input("Member ID", key="form_member_id"),
    }
    service_on = service_date.text_input("Date of service (YYYY-MM-DD)", key="form_date_of_service")
    provider_name, provider_npi = st.columns(2)
    provider = {
        "name": provider_name.text_input("Requesting provider", key="form_provider_name"),
        "npi": provider_npi.text_input("Provider NPI (10 digits)", key="form_provider_npi"),
    }
    st.caption("Requested services (up to 3 lines; leave the code empty to skip a line).")
    rows: list[dict[str, Any]] = []
    for number in range(1, MAX_FORM_LINES + 1):
        code, side, levels, units = st.columns([2, 2, 3, 1])
        rows.append(
            {
                "code": code.text_input(f"Code {number}", key=f"form_code_{number}"),
                "side": side.selectbox(
                    f"Side {number}", ["", "left", "right", "bilateral"], key=f"form_side_{number}"
                ),
                "levels": levels.text_input(
                    f"Levels {number}", key=f"form_levels_{number}", placeholder="L4-L5, L5-S1"
                ),
                "units": units.number_input(
                    f"Units {number}", min_value=1, max_value=20, key=f"form_units_{number}"
                ),
            }
        )
    optional: dict[str, Any] = {}
    if any(v.strip() for v in member.values()):
        optional["member"] = {k: v.strip() for k, v in member.items()}
    if any(v.strip() for v in provider.values()):
        optional["provider"] = {
            "name": provider["name"].strip(),
            **({"npi": provider["npi"].strip()} if provider["npi"].strip() else {}),
        }
    if service_on.strip():
        optional["date_of_service"] = service_on.strip()
    return {
        **optional,
        "case_id": case_id,
        "received": received.isoformat() if isinstance(received, date) else str(received),
        "patient": {"age": int(age), "sex": sex},
        "request": {
            "services": [
                {
                    "code": str(row.get("code") or "").strip(),
                    "side": str(row.get("side") or "").strip() or None,
                    "levels": [
                        lv.strip() for lv in str(row.get("levels") or "").split(",") if lv.strip()
                    ],
                    "units": int(row.get("units") or 1),
                }
                for row in rows
                if str(row.get("code") or "").strip()
            ],
            "diagnoses": [{"code": code.strip()} for code in diagnoses.split(",") if code.strip()],
        },
    }


def _notes_tab() -> None:
    notes = st.text_area("Clinical notes (pasted)", key="notes_text", height=200)
    files = st.file_uploader(
        "…and/or note files (.txt, .pdf)",
        type=["txt", "pdf"],
        accept_multiple_files=True,
        key="notes_files",
    )
    request = _request_from_form()
    if st.button("Open case from notes", key="open_notes", type="primary"):

        def load() -> Case:
            documents = []
            if notes.strip():
                documents.append({"title": "Pasted clinical notes", "text": notes})
            for item in files or []:
                document = document_from_bytes(item.name, item.getvalue())
                documents.append(document.model_dump(mode="json"))
            if not documents:
                hint = "paste notes or add a file"
                raise InputError("notes", "no clinical notes given", hint=hint)
            return parse_case_json(json.dumps({**request, "documents": documents}), "request form")

        _open(load, "notes and request form")


def _warn_about_unsaved_work() -> None:
    """Opening another case replaces the open one: say so when it has unfinalized work."""
    result = session.current_result()
    if result is None or st.session_state.get("finalized") is not None:
        return
    edited = session.letter_draft().strip() != result.letter.text.strip()
    work = [f"{len(session.overrides())} override(s)"] if session.overrides() else []
    work += ["an edited letter"] if edited else []
    if work:
        st.warning(
            f"Case {result.case_id} has {' and '.join(work)} not finalized. Opening another case "
            "replaces it: finalize it first (Finalize page) to keep a record."
        )


def render() -> None:
    """The Intake page."""
    st.title("Open a case")
    _opened_message()
    _warn_about_unsaved_work()
    sample, from_json, from_notes = st.tabs(["Sample cases", "Case JSON", "Notes + request form"])
    with sample:
        _sample_tab()
    with from_json:
        _json_tab()
    with from_notes:
        _notes_tab()


render()
