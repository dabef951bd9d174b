"""Issue 14, review screens in the app: progress per document at intake, overrides of nested
facts through the form, the evidence that decided a criterion in whole sentences, and a link
that scrolls to the highlighted quote."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.app_steps import new_app, open_sample, page, texts


def test_item3_intake_shows_each_document_as_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The status box lists "reading document i of n: <title>" (kept on screen when reading
    stops partway, as here where the third document fails)."""
    from drafting.extraction.rules import reader

    real = reader.annotate
    calls: list[str] = []

    def annotate(text: str) -> Any:
        calls.append(text)
        if len(calls) == 3:
            raise RuntimeError("reader stopped")
        return real(text)

    monkeypatch.setattr(reader, "annotate", annotate)
    at = new_app()
    at.selectbox(key="sample_choice").set_value("G01").run()
    at.button(key="open_sample").click().run()
    shown = texts(at.caption)
    assert "reading document 1 of 3: Pain management consultation" in shown, shown
    assert "reading document 3 of 3: Physical therapy discharge summary" in shown, shown
    assert any("reader stopped" in e for e in texts(at.error))


MRI = "MRI lumbar spine report"
EXTRUSION = "L5-S1: Left paracentral disc extrusion measuring 9 mm AP"


def test_a_finding_is_overridden_through_its_study_and_marked_override() -> None:
    at = page(open_sample(new_app(), "G01"), "review")
    at.selectbox(key="override_fact").set_value("imaging.findings").run()
    events = at.selectbox(key="override_event")
    finding = next(o for o in events.options if "L5-S1" in o)  # options show labels
    events.select(finding).run()
    at.selectbox(key="override_field").set_value("level").run()
    assert any("Current value: L5-S1" in c for c in texts(at.caption))
    at.text_input(key="override_value").set_value("L3-L4")
    at.text_input(key="override_reason").set_value("the extrusion is at L3-L4 on the images")
    at.text_input(key="override_quote").set_value(EXTRUSION)
    at.selectbox(key="override_document").set_value(MRI).run()
    at.button(key="apply_override").click().run()
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)
    entries = at.session_state["overrides"]
    assert [(e["name"], e["old"], e["new"]) for e in entries] == [
        ("imaging.studies[0].findings[4].level", "L5-S1", "L3-L4")
    ]
    changed = [t for t in texts(at.markdown) if "→" in t]
    assert any("APPROVED →" in t for t in changed), changed
    facts_table = next(t for t in texts(at.markdown) if "| fact |" in t.lower() or "|fact|" in t)
    assert "(override)" in facts_table.split("Imaging studies")[1].split("\n")[0]
    labels = [e.label for e in at.expander]
    assert any("Advanced imaging" in label and "(override)" in label for label in labels), labels
    # the same override again changes nothing and is refused
    at.selectbox(key="override_fact").set_value("imaging.findings").run()
    at.selectbox(key="override_event").select(
        next(o for o in at.selectbox(key="override_event").options if "L3-L4" in o)
    ).run()
    at.selectbox(key="override_field").set_value("level").run()
    at.text_input(key="override_value").set_value("L3-L4")
    at.button(key="apply_override").click().run()
    assert any("would change nothing" in e for e in texts(at.error)), texts(at.error)


def test_evidence_is_what_decided_the_criterion_in_whole_sentences() -> None:
    at = page(open_sample(new_app(), "G01"), "review")
    imaging = next(e for e in at.expander if "Advanced imaging" in e.label)
    quotes = [str(c.value) for c in imaging.caption if str(c.value).startswith("Record")]
    assert any("L5-S1: Left paracentral disc extrusion" in q for q in quotes), quotes
    assert not [q for q in quotes if "No disc herniation" in q], quotes
    # the reader's clause "Unable to sit > 20 min, ..." is shown as its whole sentence
    for expander in at.expander:
        for caption in expander.caption:
            text = str(caption.value)
            if text.startswith("Record"):
                quote = text.split(": “", 1)[1].rstrip("”")
                assert quote.rstrip().endswith((".", ")", "?", "!")) or "\n" not in quote, quote


def test_the_document_view_links_to_the_highlighted_quote() -> None:
    at = page(open_sample(new_app(), "G01"), "review")
    shown = at.html[0].value
    anchor = shown.split('<mark id="', 1)[1].split('"', 1)[0]
    assert anchor.startswith("quote-")
    assert f'<a class="to-quote" href="#{anchor}">' in shown
