"""The case loaders: case JSON text, a JSON file, a folder of request.json + .txt/.pdf files.

Every check turns bad input into a one-line `CaseInputError` naming the file, the field and what
to do; the models the input is validated into are `drafting.case.contract`.
"""

from __future__ import annotations

import io
import json
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from drafting.case.contract import LATE_DOCUMENT_DAYS, Case, Document, is_late
from drafting.errors import CaseInputError, input_error_from_validation, show_value

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # per .txt/.pdf document file
MAX_CASE_JSON_BYTES = 10 * 1024 * 1024  # per case JSON (file, upload or paste)
REQUEST_FILE_NAME = "request.json"
DOCUMENT_SUFFIXES = (".txt", ".pdf")


class _DuplicateKey(ValueError):
    """A JSON object repeats a key (json.loads would silently keep the last one)."""


class _NonJsonConstant(ValueError):
    """NaN / Infinity: Python's json accepts them, JSON does not."""


MAX_INTEGER_DIGITS = 30  # far beyond any count, score or age; Python refuses over 4300 anyway


class LongInteger:
    """A JSON integer with too many digits to be a real value; the contract's checks name the
    field it sits in ("must be a whole number (got a 5000-digit number)")."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {self.digits} digits"


def _parse_int(text: str) -> int | LongInteger:
    digits = len(text.lstrip("-"))
    return LongInteger(digits) if digits > MAX_INTEGER_DIGITS else int(text)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> NoReturn:
    raise _NonJsonConstant(name)


def _too_large(source: str, size: int, limit: int) -> CaseInputError:
    megabyte = 1024 * 1024
    return CaseInputError(
        source,
        f"file is {size / megabyte:.1f} MB, over the {limit / megabyte:.1f} MB limit",
        hint="split it or remove pages that are not clinical documentation",
    )


def parse_case_json(text: str, source: str = "<input>") -> Case:
    """Validate case JSON text (an upload, a paste or a file's contents) into a Case."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_CASE_JSON_BYTES:
        raise _too_large(source, size, MAX_CASE_JSON_BYTES)
    if not text:
        raise CaseInputError(
            source, "file is empty", hint="provide the case JSON (see the case contract)"
        )
    if not text.strip():
        raise CaseInputError(source, "file contains only whitespace", hint="provide the case JSON")
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
        )
    except RecursionError:
        raise CaseInputError(
            source,
            "JSON is nested too deeply (thousands of levels of [ or {)",
            hint="a case is a few levels deep; check the file is the case JSON",
        ) from None
    except json.JSONDecodeError as exc:
        raise CaseInputError(
            source,
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint="fix the JSON syntax there",
        ) from None
    except _DuplicateKey as exc:
        raise CaseInputError(source, f"key '{exc}' appears twice in one object; keep one") from None
    except _NonJsonConstant as exc:
        raise CaseInputError(source, f"{exc} is not valid JSON; use a number or null") from None
    if not isinstance(data, dict):
        raise CaseInputError(
            source,
            f"the case must be a JSON object {{...}} (got {show_value(data)})",
            hint='wrap it as {"case_id": ..., "received": ..., "patient": ..., "request": ...}',
        )
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(source, exc, Case, CaseInputError) from None


def _read_limited(path: Path, source: str, limit: int) -> bytes:
    """The file's bytes, refusing a missing, special or too-large file before reading it all."""
    if not path.exists():
        raise CaseInputError(source, "file not found", hint=f"check the path ({path})")
    if not path.is_file():
        raise CaseInputError(
            source, "is not a regular file", hint="give a .json, .txt or .pdf file"
        )
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(source, size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise CaseInputError(
            source, f"cannot be read ({exc.strerror or exc})", hint="check its permissions"
        ) from None
    if len(data) > limit:
        raise _too_large(source, len(data), limit)
    return data


def _decode_utf8(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseInputError(
            source,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="re-save the file as UTF-8 and load it again",
        ) from None


_FILE_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def _title_and_date(file_name: str, source: str) -> tuple[str, date | None]:
    """'2025-10-20_pain_clinic.txt' -> ('Pain clinic', 2025-10-20); no date in the name -> None."""
    stem = Path(file_name).stem
    match = _FILE_DATE.search(stem)
    found: date | None = None
    if match:
        try:
            found = date.fromisoformat(match.group(1))
        except ValueError:
            raise CaseInputError(
                source,
                f"file name date {match.group(1)} is not a real calendar date",
                hint="rename the file with its date as YYYY-MM-DD",
            ) from None
        stem = stem[: match.start()] + " " + stem[match.end() :]
    title = " ".join(re.sub(r"[_\-]+", " ", stem).split())
    title = title[:1].upper() + title[1:] if title else Path(file_name).stem
    return title, found


class _Faults(logging.Handler):
    """Counts what pypdf logs while it reads one file (the records are dropped, never shown)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.count += 1


@contextmanager
def _quiet_pypdf() -> Iterator[_Faults]:
    """Keep pypdf's warnings and log lines (which can quote raw PDF bytes, i.e. PHI) off stderr
    and out of the app's logs; yield how many it raised, the sign of a damaged file."""
    logger = logging.getLogger("pypdf")
    faults = _Faults()
    propagate = logger.propagate
    logger.addHandler(faults)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield faults
        faults.count += len(caught)
    finally:
        logger.removeHandler(faults)
        logger.propagate = propagate


def _pdf_text(data: bytes, source: str) -> str:
    """Text of a PDF, page by page; clear errors for corrupt, encrypted and image-only files."""
    from pypdf import PdfReader

    corrupt_hint = "re-export or re-scan the document and upload it again"
    if b"%PDF-" not in data[:1024]:
        raise CaseInputError(source, "corrupt or unreadable PDF (no PDF header)", hint=corrupt_hint)
    with _quiet_pypdf() as faults:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = bool(reader.decrypt(""))  # an owner-password-only PDF opens this way
                except Exception:  # pypdf: DependencyError (AES without a crypto library), ...
                    opened = False
                if not opened:
                    raise CaseInputError(
                        source,
                        "PDF is encrypted (password protected)",
                        hint="save an unprotected copy (print to PDF) and upload that",
                    )
            pages = [(page.extract_text() or "").strip() for page in reader.pages]
        except CaseInputError:
            raise
        except Exception as exc:  # a damaged PDF can fail in any pypdf layer, with any type
            raise CaseInputError(
                source, f"corrupt or unreadable PDF ({type(exc).__name__})", hint=corrupt_hint
            ) from None
    text = "\n\n".join(page for page in pages if page)
    if not text.strip() and faults.count:
        raise CaseInputError(
            source,
            f"corrupt or unreadable PDF (damaged structure, no text read from its "
            f"{len(pages)} page(s))",
            hint=corrupt_hint,
        )
    if not text.strip():
        raise CaseInputError(
            source,
            f"PDF has no text layer (scanned image?): no extractable text in its {len(pages)} "
            "page(s)",
            hint="run OCR on it or paste its text into a .txt file",
        )
    return text


def _document_suffix(file_name: str, source: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise CaseInputError(
            source,
            f"unsupported file type '{suffix or '(none)'}'",
            hint="documents must be .txt (UTF-8) or .pdf files",
        )
    return suffix


def document_from_bytes(file_name: str, data: bytes, source: str | None = None) -> Document:
    """A Document from an uploaded .txt/.pdf file's name and bytes (title/date from the name)."""
    source = source or file_name
    suffix = _document_suffix(file_name, source)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(source, len(data), MAX_DOCUMENT_BYTES)
    title, found = _title_and_date(file_name, source)
    if suffix == ".pdf":
        text = _pdf_text(data, source)
    else:
        text = _decode_utf8(data, source).replace("\r\n", "\n").replace("\r", "\n")
        if "\x00" in text:
            raise CaseInputError(
                source, "looks like a binary file, not text", hint="save it as UTF-8 .txt or .pdf"
            )
        if not text.strip():
            raise CaseInputError(source, "document has no text", hint="remove it or add its text")
    return Document(title=title, date=found, text=text)


def load_document(path: str | Path, source: str | None = None) -> Document:
    """Load one .txt (UTF-8) or .pdf document file."""
    path = Path(path)
    source = source or path.name
    _document_suffix(path.name, source)
    return document_from_bytes(path.name, _read_limited(path, source, MAX_DOCUMENT_BYTES), source)


def _load_case_file(path: Path, source: str) -> Case:
    if path.exists() and path.suffix.lower() != ".json":
        raise CaseInputError(
            source,
            f"unsupported file type '{path.suffix or '(none)'}' for a case",
            hint="give a .json case file or a folder holding request.json",
        )
    data = _read_limited(path, source, MAX_CASE_JSON_BYTES)
    return parse_case_json(_decode_utf8(data, source), source)


def load_case(path: str | Path) -> Case:
    """Load a case from a .json file, or from a folder with request.json plus .txt/.pdf documents.

    Folder documents are appended after any documents inside request.json, sorted by file name
    (a YYYY-MM-DD prefix therefore sorts them by date). A symbolic link in the folder is refused.
    """
    path = Path(path)
    if not path.is_dir():
        return _load_case_file(path, path.name)
    path = path.resolve()
    request_path = path / REQUEST_FILE_NAME
    links = sorted(item.name for item in path.iterdir() if item.is_symlink())
    if links:  # a link can lead anywhere (another patient's file, /etc/...): only real files
        raise CaseInputError(
            f"{path.name}/{links[0]}",
            "is a symbolic link; a case folder must hold the files themselves",
            hint="copy the file into the folder instead of linking it",
        )
    if not request_path.is_file():
        raise CaseInputError(
            f"{path.name}/",
            f"case folder has no {REQUEST_FILE_NAME}",
            hint="put the case JSON (case_id, received, patient, request) in request.json",
        )
    case = _load_case_file(request_path, f"{path.name}/{REQUEST_FILE_NAME}")
    files = sorted(
        (item for item in path.iterdir() if item.is_file() and item.name != REQUEST_FILE_NAME),
        key=lambda item: item.name,
    )
    named = [
        (item.name, load_document(item, f"{path.name}/{item.name}"))
        for item in files
        if not item.name.startswith((".", "~$"))
    ]
    for name, document in named:
        if is_late(document.date, case.received):
            raise CaseInputError(
                f"{path.name}/{name}",
                f"file name date {document.date} is more than {LATE_DOCUMENT_DAYS} days after "
                f"the request was received ({case.received})",
                hint="check the date in the file name",
            )
    return case.model_copy(update={"documents": [*case.documents, *(doc for _, doc in named)]})
