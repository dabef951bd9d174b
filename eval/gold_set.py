"""The gold set as the eval reads it: each case with its label and, when written, its gold letter.

    <gold>/cases/<id>.json     the request and documents (case contract, `drafting.case`)
    <gold>/labels/<id>.yaml    gold line decisions, deciding criteria, gold facts (see README)
    <gold>/letters/<id>.json   optional gold letter: {"case_id", "text", "passages": [...]}

A case without a label is skipped (it cannot be scored); a missing gold letter is normal (the
letter metrics that need one return ``None``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from drafting.case.contract import Case, ServiceLine
from drafting.case.loaders import load_case
from drafting.errors import DeterminationError

# libyaml's safe loader when the wheel has it (the same documents, ten times faster on 600
# label files), else the pure-Python one
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldSetError(DeterminationError):
    """The gold directory or one of its files cannot be used."""


class GoldLetter(BaseModel):
    """A reference letter written for a gold case, with the passages it cites."""

    model_config = ConfigDict(extra="ignore")

    case_id: str
    text: str
    passages: list[str] = []


@dataclass(frozen=True)
class GoldCase:
    """One gold case: the request, its label (decisions, criteria, facts) and its gold letter."""

    case: Case
    label: dict[str, Any]
    letter: GoldLetter | None

    @property
    def case_id(self) -> str:
        return self.case.case_id

    @property
    def gold_lines(self) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = self.label.get("lines") or []
        return lines

    @property
    def gold_facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = self.label.get("facts") or {}
        return facts


def _letter(path: Path) -> GoldLetter | None:
    if not path.is_file():
        return None
    try:
        return GoldLetter.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, json.JSONDecodeError) as error:
        raise GoldSetError(f"{path}: not a gold letter ({error}); fix or remove the file") from None


def case_ids(gold_dir: Path = DEFAULT_GOLD_DIR) -> list[str]:
    """Ids of every case that has both a case file and a label, sorted."""
    cases = gold_dir / "cases"
    if not cases.is_dir():
        raise GoldSetError(f"{cases} does not exist: pass the gold directory (default eval/gold)")
    return sorted(
        p.stem for p in cases.glob("*.json") if (gold_dir / "labels" / f"{p.stem}.yaml").is_file()
    )


def load_gold_case(case_id: str, gold_dir: Path = DEFAULT_GOLD_DIR) -> GoldCase:
    """One gold case by id."""
    label_path = gold_dir / "labels" / f"{case_id}.yaml"
    if not label_path.is_file():
        raise GoldSetError(f"{label_path} is missing: every scored case needs a label")
    label = yaml.load(label_path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    return GoldCase(
        case=load_case(gold_dir / "cases" / f"{case_id}.json"),
        label=label,
        letter=_letter(gold_dir / "letters" / f"{case_id}.json"),
    )


def load_gold(gold_dir: Path = DEFAULT_GOLD_DIR, only: Collection[str] = ()) -> list[GoldCase]:
    """Every labelled gold case (or only the ids given, in the order of the set)."""
    ids = case_ids(gold_dir)
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            raise GoldSetError(
                f"no labelled gold case {', '.join(unknown)} in {gold_dir}; "
                f"known ids run {ids[0]}..{ids[-1]}"
            )
        ids = [i for i in ids if i in set(only)]
    return [load_gold_case(case_id, gold_dir) for case_id in ids]


# The case types gold letters read (eval/gold/ takes them from here, not from drafting).
__all__ = [
    "DEFAULT_GOLD_DIR",
    "Case",
    "GoldCase",
    "ServiceLine",
    "case_ids",
    "load_gold",
    "load_gold_case",
]
