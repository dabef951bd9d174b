"""The criteria package decides alone: it must not import language-model or drafting code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = {"guideline_corpus", "retrieval", "criteria", "drafting", "eval"}
FORBIDDEN = {"openai", "instructor", "drafting", "llama_cpp", "litellm", "anthropic"}


def _module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str) -> set[str]:
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _walk(start: list[str]) -> tuple[set[str], dict[str, str]]:
    """Project modules reachable from `start`, and the importer of each top-level name."""
    seen: set[str] = set()
    outside: dict[str, str] = {}
    todo = list(start)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_file(module)
        if path is None:
            continue
        for name in _imports(path, module):
            top = name.split(".")[0]
            outside.setdefault(top, module)
            if top in PROJECT_PACKAGES and _module_file(name) is not None:
                todo.append(name)
    return seen, outside


def test_criteria_imports_no_llm_or_drafting_code_statically() -> None:
    modules = [f"criteria.{p.stem}" for p in (ROOT / "criteria").glob("*.py")]
    assert len(modules) > 5
    _, imported = _walk(["criteria", *modules])
    bad = {name: importer for name, importer in imported.items() if name in FORBIDDEN}
    assert bad == {}, f"criteria reaches forbidden modules: {bad}"


def test_criteria_imports_no_llm_or_drafting_code_at_run_time() -> None:
    modules = sorted(f"criteria.{p.stem}" for p in (ROOT / "criteria").glob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from criteria.loader import load_library\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = {name.split(".")[0] for name in out}
    assert loaded & FORBIDDEN == set()
    assert "criteria" in loaded


def test_the_walk_would_notice_a_forbidden_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import openai\nfrom drafting import letter\n", encoding="utf-8")
    names = _imports(probe, "probe")
    assert {"openai", "drafting"} <= {n.split(".")[0] for n in names}
