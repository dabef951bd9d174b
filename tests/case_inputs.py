"""Case inputs for the case-contract tests: the sample case (JSON and folder), files written to
tmp_path, PDFs made on the fly, and the CaseInputError checks (`raised`, `check_message`).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from drafting.errors import (
    CaseInputError,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cases"


SAMPLE_JSON = FIXTURES / "lumbar_tfesi_left.json"


SAMPLE_FOLDER = FIXTURES / "lumbar_tfesi_folder"


def sample_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    return data


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def make_pdf(lines: list[str], *, user_password: str | None = None, image: bool = False) -> bytes:
    pdf = FPDF()
    for line in lines:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(w=0, text=line)
    if image:
        from PIL import Image

        picture = io.BytesIO()
        Image.new("RGB", (60, 40), (200, 200, 200)).save(picture, format="PNG")
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=120)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def raised(call: Any, *args: Any) -> CaseInputError:
    with pytest.raises(CaseInputError) as info:
        call(*args)
    return info.value


def check_message(error: CaseInputError, source: str, field: str | None, *words: str) -> str:
    """The message is one line naming the source, the field (if any) and the problem words."""
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{source}: ")
    assert error.source == source
    assert error.field == field
    if field is not None:
        assert message.startswith(f"{source}: {field}: ")
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    return message
