"""Pain told in pairs, in quotes and as another visit's: relief read from the pain before and
after a procedure, a spoken rating, and which score is today's (positive and negated forms)."""

from __future__ import annotations

import pytest

from drafting.extraction.quantities import find_pain_scores, find_score_drops
from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("text", "relief"),
    [
        ("MBB #1 (lidocaine): index pain 6 -> 1 at 30 min", [83.0]),
        ("Knee-to-buttock pain down: 2/10 (was 8/10 before the block).", [75.0]),
        ("She had 9/10 before, 3/10 after.", [67.0]),
        ("Her arm pain fell from seven out of ten to two out of ten by the evening.", [71.0]),
        ('He says it "went from a 10 to a 3."', [70.0]),
        ("Pre-block pain 8/10, post-block 2-3/10.", [62.0]),
        ("pain 6/10 -> 6/10, no change", [0.0]),
        # another scale, a unit, a level or a count: no pain drop
        ("ODI 44 -> 22", []),
        ("PHQ-9 12 -> 6; GAD 9 -> 4", []),
        ("Skin temp 29 -> 32 C", []),
        ("Sitting tolerance 10 -> 45 min", []),
        ("extend the fusion from L4 to L5", []),
        ("went from 2 to 4 visits a week", []),
        ("Her walking went from 3 to 6 blocks.", []),
    ],
)
def test_relief_from_the_pain_before_and_after(text: str, relief: list[float]) -> None:
    assert [d.value for d in find_score_drops(text)] == relief


def _rfa_relief(follow_up: str) -> list[float | None]:
    found = documents_facts(
        ("Procedure report", "2026-01-12",
         "Procedure: Left L4-5 and L5-S1 radiofrequency neurotomy (L3, L4 medial branches, L5 "
         "dorsal ramus). Pre-procedure pain 8/10."),
        ("Follow-up", "2026-03-02", f"S: 7 wks s/p L L4-5/L5-S1 RFA 01/12/26. {follow_up}"),
    )  # fmt: skip
    events = found.procedures.prior or []
    return [e.relief_percent for e in events if e.type == "rfa_medial_branch"]


@pytest.mark.parametrize(
    ("follow_up", "relief"),
    [
        ("Pain 2/10 (was 8/10 pre-RF). Gardening again.", [75.0]),
        ('"Much better." Pain 3/10 (was 8/10 pre-RF).', [62.0]),
        # a stated figure outranks the pair; a single score is no relief figure
        ("About 60% better, pain 2/10 (was 8/10 pre-RF).", [60.0]),
        ("Pain 2/10 today.", [None]),
    ],
)
def test_a_procedure_result_told_as_the_pain_before_and_after(
    follow_up: str, relief: list[float | None]
) -> None:
    assert _rfa_relief(follow_up) == relief


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rating spoken in quotes in a sentence about the pain
        ('The back pain is worse again: she calls it "a six, some days a seven."', [6]),
        ('Neck pain - he rates it "a five most days".', [5]),
        ('Her pain, she says "an eight" by evening.', [8]),
        # quoted words that are not a rating
        ('Pain limits her: she says "a two-block walk" is all she can do.', []),
        ('Pain is bad; he says "a few days" off work helped.', []),
        # a labelled range at the end of a sentence is the range, not its first number
        ("At the last visit pain was 3-4/10.", [(3, 4)]),
        ("Pain was 2.", [2]),
    ],
)
def test_a_rating_told_in_the_patients_words(text: str, expected: list[object]) -> None:
    got = [(s.value, s.high) if s.high is not None else s.value for s in find_pain_scores(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("hpi", "score"),
    [
        # another visit's score, or the after-score of a pair, is not today's
        ("At the 06/10/2026 visit pain was 1-2/10. Today he rates it 7/10.", 7),
        ("When I saw her in June her pain had come down from eight out of ten to two out of ten. "
         "She now puts it at six out of ten.", 6),
        ("At his six-week follow-up, 2/10. Currently 6/10.", 6),
        # today's score, however it is said
        ("Pain 6/10 today; at the 06/10/2026 visit it was 2/10.", 6),
        ("Her pain went from 8/10 to 3/10 now.", 3),
    ],
)  # fmt: skip
def test_todays_score_is_not_another_visits(hpi: str, score: float) -> None:
    assert value(facts(f"HPI: low back pain. {hpi}\nPlan: MBB."), "pain.score") == score


@pytest.mark.parametrize(
    ("hpi", "score"),
    [
        # a block's timed readings are its response, not today's pain
        ("After the block: 7/10 before, 1/10 from 15 min through 1 h, 3/10 at 2 h. "
         "Since then back to her usual 6/10.", 6),
        ("Pain 2/10 at 30 min post block. Now 7/10.", 7),
        # a score told with a time of day or of activity is today's
        ("Pain 6/10 by 3 pm most days.", 6),
    ],
)  # fmt: skip
def test_a_blocks_timed_reading_is_not_todays_score(hpi: str, score: float) -> None:
    assert value(facts(f"HPI: low back pain. {hpi}\nPlan: MBB #2."), "pain.score") == score


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Pain spreads to the R upper buttock, nothing into the leg.", False),
        ("Aching in the low back, nothing down the left thigh.", False),
        ("Nothing goes into her arms.", False),
        # a limb the pain does reach
        ("Pain goes into the R leg to the ankle; nothing helps.", True),
    ],
)
def test_nothing_into_the_limb_is_no_radicular_pain(sentence: str, radicular: bool) -> None:
    assert value(facts(f"HPI: {sentence}\nPlan: MBB."), "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("hpi", "score"),
    [
        # sites scored in the note's next sentences: the worst site's pain
        (
            'Back ache is minor - "two out of ten, it\'s the legs." The legs are seven out of ten.',
            7,
        ),
        ("Neck 3/10. Arm pain 8/10 most of the day.", 8),
        # one site scored twice: its first
        ("Back 6/10 now. Back 8/10 by evening.", 6),
    ],
)
def test_sites_scored_across_sentences(hpi: str, score: float) -> None:
    assert value(facts(f"HPI: {hpi}\nPlan: ESI.", code="62323"), "pain.score") == score
