"""Errors the determination tool raises on purpose, each with a message that says what to do.

`DeterminationError` is the base every deliberate failure of drafting, eval and the app derives
from; the lower packages (guideline_corpus, retrieval, criteria) must not import drafting, so their
own bases are gathered with it in `KNOWN_ERRORS`, the one thing the CLI and the app catch to show a
one-line message. Other modules add their own subclasses (LLM, audit, ...) next to the code that
raises them. This module owns the base, the input errors (`InputError`,
`CaseInputError`), and `input_error_from_validation`, which turns a pydantic ValidationError into
one readable line (reusable by any loader that validates a file against a pydantic model).
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from criteria.errors import CriteriaError
from guideline_corpus.errors import CorpusError
from retrieval.errors import RetrievalError

_MAX_MESSAGE_PART = 300
_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))


def _one_line(text: str, limit: int = _MAX_MESSAGE_PART) -> str:
    """Collapse whitespace (newlines too) and cut overly long parts so a message stays short."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class DeterminationError(Exception):
    """Base class for every error this tool raises deliberately; its str is meant for the user."""


# Every failure the tool raises on purpose: catch this at a boundary (CLI, app page) and show str().
KNOWN_ERRORS: tuple[type[Exception], ...] = (
    DeterminationError,
    CorpusError,
    CriteriaError,
    RetrievalError,
)


class InputError(DeterminationError):
    """A file or value given to the tool that cannot be used; names the source and the field."""

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        further: tuple[str, ...] = (),
    ) -> None:
        self.source = source
        self.field = field
        self.problem = _one_line(problem)
        self.hint = _one_line(hint) if hint else None
        # Further problems found in the same input ("field: problem" each), for a UI to list.
        self.further = tuple(_one_line(item) for item in further)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: `source: field: problem; hint (+N more problems)`."""
        parts = [_one_line(self.source, 120)]
        if self.field:
            parts.append(_one_line(self.field, 120))
        text = ": ".join([*parts, self.problem])
        if self.hint:
            text += f"; {self.hint}"
        if self.further:
            count = len(self.further)
            text += f" (+{count} more problem{'s' if count != 1 else ''})"
        return text

    def __str__(self) -> str:
        return self.message


class CaseInputError(InputError):
    """A case file, request or document that cannot be used as given."""


InputErrorT = TypeVar("InputErrorT", bound=InputError)


def show_value(value: Any) -> str:
    """A short JSON-flavoured rendering of an input value for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model found at `loc` below `root` (None if loc leads to something else)."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            args = get_args(current)  # list[Model] -> Model
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _describe(error: Any, root: type[BaseModel]) -> str:
    """Plain-language problem for one pydantic error; custom errors already read well as is."""
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    if kind not in _PYDANTIC_ERROR_TYPES:
        return str(error["msg"])
    if kind == "missing":
        return "required field is missing; add it"
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        guess = get_close_matches(str(loc[-1]), allowed, n=1)
        suggestion = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown field '{loc[-1]}'{suggestion}; remove it. Allowed: {', '.join(allowed)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        model = _model_at(root, loc)
        fields = f" with fields {', '.join(model.model_fields)}" if model else ""
        return f"must be an object{fields} (got {show_value(value)})"
    if kind == "list_type":
        return f"must be a list (got {show_value(value)})"
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound, key = ("at least", "ge") if kind == "greater_than_equal" else ("at most", "le")
        return f"must be {bound} {error['ctx'][key]} (got {show_value(value)})"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{message} (got {show_value(value)})"


def input_error_from_validation(
    source: str, exc: ValidationError, root: type[BaseModel], error_class: type[InputErrorT]
) -> InputErrorT:
    """One `error_class` error for a ValidationError of `root`: the first problem, plus a count."""
    problems = [(_dotted(tuple(e["loc"])), _describe(e, root)) for e in exc.errors()]
    field, problem = problems[0]
    further = tuple(f"{where}: {what}" if where else what for where, what in problems[1:])
    return error_class(source, problem, field=field or None, further=further)
