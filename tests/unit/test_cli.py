"""The `determine` dispatcher: help, unknown arguments and subcommand routing."""

from __future__ import annotations

import importlib

import pytest

from drafting import cli


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in cli.SUBCOMMANDS:
        assert name in out


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "usage" in capsys.readouterr().out


def test_subcommand_targets_resolve_to_callables() -> None:
    for target, _ in cli.SUBCOMMANDS.values():
        module_name, func_name = target.split(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, func_name))
