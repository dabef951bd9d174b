"""The letter linter's regular expressions, kept as data in `drafting/lint/patterns.yaml`.

Owns where that file is and how the linter asks for it: `lint_patterns(table)` is one table
(``outcomes``, ``elements``, ``claims``) as name -> compiled pattern, compiled once. Reading,
checking and compiling the file is `drafting.pattern_data` (the entry format is in its docstring;
a bad entry raises its `PatternFileError` naming the file and the key).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from drafting.pattern_data import pattern_table

PATTERNS_FILE = Path(__file__).resolve().with_name("patterns.yaml")


def lint_patterns(table: str) -> Mapping[str, re.Pattern[str]]:
    """The compiled patterns of one table of `patterns.yaml`, by name."""
    return pattern_table(PATTERNS_FILE, table)
