"""`determine explain CODE` prints the routing and the criteria tree with quotes and passages."""

from __future__ import annotations

import pytest

from criteria.commands import explain_main


def test_explain_prints_criteria_with_quotes_and_passages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert explain_main(["64483"]) == 0
    out = capsys.readouterr().out
    assert "epidural.esi.imaging" in out and "epidural.snrb.surgical_consult" in out
    assert "passage: epidural/clinical-indications/" in out
    assert 'quote: "Evidence of EITHER of the following' in out
    assert "general.significant_pain" in out  # definitions used are listed too


def test_explain_addon_drug_and_unlisted(capsys: pytest.CaptureFixture[str]) -> None:
    assert explain_main(["64484", "J1040", "64999"]) == 0
    out = capsys.readouterr().out
    assert "follows the decision on 64483" in out
    assert "Drug code" in out
    assert "scope.exclusion.sacral_lateral_branch_rfa" in out


def test_explain_requires_a_code() -> None:
    with pytest.raises(SystemExit):
        explain_main([])
