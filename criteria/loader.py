"""Loads every criteria YAML file of a corpus into a ``CriteriaLibrary`` and checks it.

Checks, run at start-up and in tests (each failure is a ``CriteriaError`` naming file and id):

- every quote occurs in guideline.md and inside each passage it cites, compared after whitespace
  normalisation (``guideline_corpus.corpus.normalize_ws``) with markdown emphasis (``*``) removed;
- every passage id exists (``guideline_corpus.chunking.load_passages``);
- every fact name, ``$name`` value, event list and event field exists (``criteria.facts``);
- no id repeats; every ref/requires/include/set named exists, without cycles;
- every code in the codes table is routed (or explicitly marked ``pending``);
- routing attributes name ``line`` facts;
- every criterion that can deny (``on_fail: deny``) reads at least one fact, directly or through
  its definitions, so that a denial can carry the contradicting quote (issue 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from criteria.errors import (
    CriteriaError,
    DenialWithoutFactError,
    DuplicateIdError,
    LogicSyntaxError,
    QuoteNotFoundError,
    RoutingError,
    UnknownFactError,
    UnknownPassageError,
    UnknownReferenceError,
)
from criteria.evaluator import CompiledSet, Evaluator
from criteria.facts import EVENT_LISTS, LineFacts, event_fields, fact_names
from criteria.logic import Node, event_field_refs, fact_refs
from criteria.model import (
    CodeRoute,
    CriteriaFile,
    CriteriaSet,
    Criterion,
    Definition,
    Item,
    NotificationRule,
    Routing,
    UnlistedPolicy,
)
from guideline_corpus.corpus import DEFAULT_CORPUS_ID, CodeEntry, load_corpus, normalize_ws

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def quote_key(text: str) -> str:
    """What quotes are compared on: whitespace collapsed, markdown emphasis removed."""
    return normalize_ws(text.replace("*", ""))


@dataclass
class MergedRouting:
    """Routing of all files together: one route per code, plus the global rules."""

    routes: dict[str, CodeRoute] = field(default_factory=dict)
    drug_pattern: re.Pattern[str] | None = None
    drug_agents: dict[str, str] = field(default_factory=dict)
    notification_only: list[NotificationRule] = field(default_factory=list)
    unlisted: UnlistedPolicy = field(default_factory=UnlistedPolicy)


@dataclass
class CriteriaLibrary:
    """All criteria of one corpus, compiled, with routing and the code table."""

    corpus_id: str
    guideline_version: str
    files: dict[str, CriteriaFile]
    definitions: dict[str, Definition]
    criteria: dict[str, Criterion]
    sets: dict[str, CriteriaSet]
    routing: MergedRouting
    codes: list[CodeEntry]
    evaluator: Evaluator
    effective_date: str = ""  # ISO date the guideline version takes effect (MANIFEST.json)
    _compiled: dict[tuple[str, ...], CompiledSet] = field(default_factory=dict)

    def set_criteria(self, set_id: str, _seen: frozenset[str] = frozenset()) -> list[str]:
        """Criterion ids of a set and its includes, in order, without repeats."""
        if set_id in _seen:
            raise UnknownReferenceError(f"set {set_id!r} includes itself; break the cycle")
        if set_id not in self.sets:
            raise UnknownReferenceError(f"unknown criteria set {set_id!r}")
        crit_set = self.sets[set_id]
        ids = list(crit_set.criteria)
        for included in crit_set.includes:
            ids.extend(self.set_criteria(included, _seen | {set_id}))
        return list(dict.fromkeys(ids))

    def resolve(self, set_ids: list[str] | tuple[str, ...]) -> CompiledSet:
        """The compiled criteria of one or more sets (cached)."""
        key = tuple(set_ids)
        if key not in self._compiled:
            ids = [c for s in key for c in self.set_criteria(s)]
            self._compiled[key] = CompiledSet(key, list(dict.fromkeys(ids)), self.evaluator)
        return self._compiled[key]

    def item(self, item_id: str) -> Item:
        return self.criteria.get(item_id) or self.definitions[item_id]

    def code_entry(self, code: str) -> CodeEntry | None:
        wanted = code.strip().rstrip("*").upper()
        return next((c for c in self.codes if c.code == wanted), None)


def criteria_dir(corpus_id: str = DEFAULT_CORPUS_ID) -> Path:
    return load_corpus(corpus_id).path / "criteria"


def read_files(folder: Path) -> dict[str, CriteriaFile]:
    """Parse every ``*.yaml`` in ``folder`` (sorted by name) into CriteriaFile models."""
    if not folder.is_dir():
        raise CriteriaError(f"no criteria folder at {folder}; create it with the YAML files")
    files: dict[str, CriteriaFile] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
            files[path.name] = CriteriaFile.model_validate(raw)
        except (yaml.YAMLError, ValidationError, LogicSyntaxError) as error:
            raise CriteriaError(f"{path.name}: {error}") from error
    return files


def build_library(
    files: dict[str, CriteriaFile], corpus_id: str = DEFAULT_CORPUS_ID, check: bool = True
) -> CriteriaLibrary:
    """Merge files into a library; with ``check`` run every check of this module."""
    corpus = load_corpus(corpus_id)
    definitions: dict[str, Definition] = {}
    criteria: dict[str, Criterion] = {}
    sets: dict[str, CriteriaSet] = {}
    seen: dict[str, str] = {}
    for name, content in files.items():
        for definition in content.definitions:
            _claim(seen, definition.id, name)
            definitions[definition.id] = definition
        for criterion in content.criteria:
            _claim(seen, criterion.id, name)
            criteria[criterion.id] = criterion
        for crit_set in content.sets:
            _claim(seen, crit_set.id, name)
            sets[crit_set.id] = crit_set
    routing = merge_routing(files)
    evaluator = Evaluator(definitions.values(), criteria.values())
    library = CriteriaLibrary(
        corpus_id=corpus.id,
        guideline_version=corpus.manifest.version,
        files=files,
        definitions=definitions,
        criteria=criteria,
        sets=sets,
        routing=routing,
        codes=corpus.codes,
        evaluator=evaluator,
        effective_date=corpus.manifest.effective_date,
    )
    if check:
        check_library(library, corpus.markdown, corpus_id)
    return library


def _claim(seen: dict[str, str], item_id: str, file_name: str) -> None:
    if item_id in seen:
        raise DuplicateIdError(
            f"id {item_id!r} is defined in {seen[item_id]} and again in {file_name}; rename one"
        )
    seen[item_id] = file_name


def merge_routing(files: dict[str, CriteriaFile]) -> MergedRouting:
    """One route per code: a section file's route replaces a ``placeholder`` one."""
    merged = MergedRouting()
    owners: dict[str, str] = {}
    for name, content in files.items():
        routing: Routing | None = content.routing
        if routing is None:
            continue
        for route in routing.codes:
            for code in route.codes:
                current = merged.routes.get(code)
                if current is not None and not (current.placeholder or route.placeholder):
                    raise RoutingError(
                        f"code {code} is routed in {owners[code]} and again in {name}; keep one "
                        "(or mark the general one placeholder: true)"
                    )
                if current is None or current.placeholder:
                    merged.routes[code], owners[code] = route, name
        if routing.drug_code_pattern:
            merged.drug_pattern = re.compile(routing.drug_code_pattern)
        merged.drug_agents.update(routing.drug_agents)
        merged.notification_only.extend(routing.notification_only)
        if routing.unlisted is not None:
            merged.unlisted = routing.unlisted
    return merged


@lru_cache(maxsize=4)
def load_library(corpus_id: str = DEFAULT_CORPUS_ID) -> CriteriaLibrary:
    """The checked criteria library of a corpus (cached per corpus id)."""
    return build_library(read_files(criteria_dir(corpus_id)), corpus_id, check=True)


# --- checks ----------------------------------------------------------------------------------


def check_library(library: CriteriaLibrary, guideline_md: str, corpus_id: str) -> None:
    """Run every check; raise the first kind of error found, listing all problems of that kind."""
    from guideline_corpus.chunking import load_passages  # the chunker owns passage ids

    passages = {p.id: quote_key(p.text) for p in load_passages(corpus_id)}
    problems: list[tuple[type[CriteriaError], str]] = []
    problems += _check_quotes(library, quote_key(guideline_md), passages)
    problems += _check_facts(library)
    problems += _check_references(library)
    problems += _check_routing(library)
    problems += _check_denials_read_facts(library)
    if problems:
        kind = problems[0][0]
        messages = [m for k, m in problems if k is kind]
        others = len(problems) - len(messages)
        more = f"\n(and {others} other problem(s) of other kinds)" if others else ""
        raise kind("\n".join(messages) + more)


def _cited(library: CriteriaLibrary) -> list[tuple[str, str, list[str]]]:
    rows: list[tuple[str, str, list[str]]] = []
    for item in [*library.definitions.values(), *library.criteria.values()]:
        rows.append((item.id, item.quote, [item.passage, *item.section_passages.values()]))
    for rule in library.routing.notification_only:
        rows.append((f"notification rule {rule.codes}", rule.quote, [rule.passage]))
    return rows


def _check_quotes(library: CriteriaLibrary, guideline: str, passages: dict[str, str]) -> list[Any]:
    problems: list[Any] = []
    for item_id, quote, cited in _cited(library):
        key = quote_key(quote)
        if not key or key not in guideline:
            problems.append(
                (
                    QuoteNotFoundError,
                    f"{item_id}: quote not found verbatim in "
                    f"guideline.md: {quote[:80]!r}; copy it from the guideline",
                )
            )
            continue
        for passage_id in cited:
            if passage_id not in passages:
                problems.append(
                    (
                        UnknownPassageError,
                        f"{item_id}: unknown passage {passage_id!r};"
                        " list ids with guideline_corpus.chunking.load_passages()",
                    )
                )
            elif key not in passages[passage_id]:
                problems.append(
                    (
                        QuoteNotFoundError,
                        f"{item_id}: quote is not inside passage "
                        f"{passage_id!r}: {quote[:80]!r}; cite the passage holding it",
                    )
                )
    return problems


def item_nodes(item: Item) -> list[Node]:
    """The logic trees of an item: its logic, and its applies-when condition if any."""
    nodes = [item.logic]
    if isinstance(item, Criterion) and item.applies_when is not None:
        nodes.append(item.applies_when)
    return nodes


def _check_facts(library: CriteriaLibrary) -> list[Any]:
    known = set(fact_names())
    problems: list[Any] = []
    items: list[Item] = [*library.definitions.values(), *library.criteria.values()]
    for item in items:
        for node in item_nodes(item):
            for name in sorted(fact_refs(node) - known):
                problems.append(
                    (
                        UnknownFactError,
                        f"{item.id}: unknown fact {name!r}; see criteria.facts.fact_names()",
                    )
                )
            for source, field_name in event_field_refs(node):
                if source not in EVENT_LISTS:
                    problems.append(
                        (
                            UnknownFactError,
                            f"{item.id}: {source!r} is not an event "
                            f"list; use one of {sorted(EVENT_LISTS)}",
                        )
                    )
                elif field_name not in event_fields(source):
                    problems.append(
                        (
                            UnknownFactError,
                            f"{item.id}: {source} has no field "
                            f"{field_name!r}; fields: {sorted(event_fields(source))}",
                        )
                    )
        for example in item.examples:
            for name in sorted(set(example.facts) - known):
                problems.append(
                    (UnknownFactError, f"{item.id}: example uses unknown fact {name!r}")
                )
    return problems


def _check_denials_read_facts(library: CriteriaLibrary) -> list[Any]:
    """A criterion that can deny reads a fact: the engine denies only on a quoted one."""
    problems: list[Any] = []
    for criterion in library.criteria.values():
        if criterion.on_fail != "deny":
            continue
        if not library.evaluator.items[criterion.id].fact_names:
            problems.append(
                (
                    DenialWithoutFactError,
                    f"{criterion.id}: can deny but reads no fact, so a denial could carry no "
                    "quote; read the fact that contradicts it, or set on_fail: pend",
                )
            )
    return problems


def _check_references(library: CriteriaLibrary) -> list[Any]:
    problems: list[Any] = []
    for set_id, crit_set in library.sets.items():
        for cid in crit_set.criteria:
            if cid not in library.criteria:
                problems.append((UnknownReferenceError, f"set {set_id}: unknown criterion {cid!r}"))
        for included in crit_set.includes:
            if included not in library.sets:
                problems.append((UnknownReferenceError, f"set {set_id}: unknown set {included!r}"))
        try:
            library.set_criteria(set_id)
        except UnknownReferenceError as error:
            problems.append((UnknownReferenceError, f"set {set_id}: {error}"))
    return problems


def _check_routing(library: CriteriaLibrary) -> list[Any]:
    problems: list[Any] = []
    routes = library.routing.routes
    for entry in library.codes:
        if entry.code not in routes:
            problems.append(
                (
                    RoutingError,
                    f"code {entry.code} ({entry.section}) has no route; "
                    "add it to a routing: block (or mark it pending:)",
                )
            )
    line_fields = set(LineFacts.model_fields)
    for code, route in routes.items():
        set_ids = [*route.sets, *(s for sets in route.by_purpose.values() for s in sets)]
        for set_id in set_ids:
            if set_id not in library.sets:
                problems.append((RoutingError, f"code {code}: unknown set {set_id!r}"))
        for primary in route.addon_of:
            if primary not in routes:
                problems.append((RoutingError, f"add-on {code}: primary {primary} has no route"))
        for key in route.attributes:
            if key not in line_fields:
                problems.append(
                    (RoutingError, f"code {code}: attribute {key!r} is not a line fact")
                )
    for set_id in library.routing.unlisted.sets:
        if set_id not in library.sets:
            problems.append((RoutingError, f"unlisted policy: unknown set {set_id!r}"))
    return problems
