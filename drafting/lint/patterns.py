"""The letter linter's regular expressions, kept as data in `drafting/lint/patterns.yaml`.

Owns the one loader of that file: `lint_patterns(table)` compiles one table (``outcomes``,
``elements``, ``claims``) into name -> compiled pattern, once. An entry is one ``pattern`` or
``any_of`` alternatives joined with ``|``; ``ignore_case: true`` compiles it with `re.IGNORECASE`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")


@cache
def _tables() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return loaded


def _compile(entry: Mapping[str, Any]) -> re.Pattern[str]:
    source = str(entry["pattern"]) if "pattern" in entry else "|".join(entry["any_of"])
    return re.compile(source, re.IGNORECASE if entry.get("ignore_case") else 0)


@cache
def lint_patterns(table: str) -> Mapping[str, re.Pattern[str]]:
    """The compiled patterns of one table of `patterns.yaml`, by name."""
    return {name: _compile(entry) for name, entry in _tables()[table].items()}
