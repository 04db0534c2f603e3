"""Pages between <pb> milestones, checked against the [Page N] markers of the dev corpus .txt."""
from __future__ import annotations

import re

import pytest

import teikit
from teikit.query.search import tokens
from teikit.xmlio import NSMAP


def gold_pages(doc, gold: dict, txt: str) -> list[list[str]]:
    """Words of each page of the seed rendering: footnotes cut off, note markers removed."""
    body = list(txt[: gold.get("notes_block_offset", len(txt))])
    for note in sorted(gold["notes"], key=lambda n: -n["offset"]):
        if note["offset"] < len(body):
            del body[note["offset"]: note["offset"] + len(note["n"])]
    chunks = [tokens(chunk) for chunk in re.split(r"\[Page [^\]]+\]", "".join(body))]
    if doc.pages[0].n == "1" and not doc.pages[0].inferred:
        chunks[:2] = [chunks[0] + chunks[1]]  # pages restart at 1: the heading is on page 1
    return chunks


def page_words(doc, page) -> list[str]:
    """Words of a page without the dateline, which the seed rendering leaves out."""
    words = tokens(page.text)
    dateline = doc.element.find("tei:dateline", NSMAP)
    if dateline is not None and page is doc.pages[0]:
        drop = tokens("".join(dateline.itertext()))
        start = len(tokens(doc.heading))
        if words[start:start + len(drop)] == drop:
            del words[start:start + len(drop)]
    return words


def test_page_texts_match_the_page_markers_of_the_seed_rendering(dev, manifest, dev_corpus):
    checked = 0
    for doc in dev:
        gold = manifest[doc.id]
        txt = (dev_corpus / f"{gold['file']}.txt").read_text("utf-8")
        expected = gold_pages(doc, gold, txt)
        assert [page_words(doc, page) for page in doc.pages] == expected, doc.id
        checked += len(doc.pages)
    assert checked == 59  # 43 <pb> and the 16 pages before the first <pb> of each document


def test_pages_partition_the_document_text(dev):
    for doc in dev:
        assert tokens(" ".join(p.text for p in doc.pages)) == tokens(doc.text()), doc.id


def test_page_boundaries_inside_paragraphs_and_items(dev):
    doc = dev["d186"]
    assert [p.n for p in doc.pages] == ["401", "402", "403", "404", "405"]
    assert doc.page("402").text.startswith("Macmillan then stated")
    assert doc.page("402").text.endswith("That is to say that it would be enlarged by")
    assert doc.page("403").text.startswith("means of operation which would go beyond")
    assert doc.page("405").text == (
        "would create a great mystery, but French would not accept mentioning Diem, so communiqué "
        "postponed.\nDulles"
    )


def test_text_before_the_first_pb_is_on_the_previous_page_or_page_one(dev):
    first = dev["d186"].pages[0]
    assert (first.n, first.id, first.inferred) == ("401", None, True)
    assert first.text.startswith("186. Telegram From the Secretary of State")
    restart = dev["d74"].pages[0]  # frus1969-76ve13: pages restart at 1 in each document
    assert (restart.n, restart.id, restart.inferred) == ("1", "d74-01", False)
    assert restart.text.startswith("74. Memorandum for the Record") and "20 December 1971" in restart.text


def test_which_page_a_note_or_passage_is_on(dev):
    doc = dev["d186"]
    assert doc.note("3").page.n == "404"
    assert doc.cite(doc.note("3")) == "Document 186, p. 404, note 3"
    assert [n.n for n in doc.page("401").notes] == ["1", "2"]
    item = next(p for p in doc.paragraphs if p.text.startswith("5. The US would exercise"))
    assert doc.page_of(item).n == "404"
    # any element, even one the walk did not record: the persName after the <pb n="403">
    names = doc.xpath(".//tei:item[contains(., 'would be enlarged by')]//tei:persName")
    assert [doc.page_of(el).n for el in names] == ["402"] + ["403"] * 6
    assert doc.cite(names[-1]) == "Document 186, p. 403"


def test_a_word_broken_by_pb_break_no_counts_on_the_page_where_it_starts(d59):
    assert d59.page("283").text.endswith("which Thieu would accept reluctantly")
    assert d59.page("284").text == "on that basis."
    assert "reluctantly on that basis." in d59.text()


def test_a_note_continuing_on_the_next_page(d59):
    note = d59.note("4")
    assert note.page.n == "284"
    assert [p.n for p in note.pages] == ["284", "285"]
    assert note.text == "The long note begins on page 284 and\ncontinues on page 285 of the volume."
    assert d59.page("284").text_with_notes.endswith("4. The long note begins on page 284 and\ncontinues")
    assert d59.page("285").text_with_notes.endswith("4. on page 285 of the volume.")
    # the <pb> inside the note is a milestone for the main text after it, too
    assert d59.page("285").text.startswith("Bunker agreed.")


def test_page_citations(d59, dev):
    assert d59.page("283").cite() == "p. 283"
    assert d59.page("283").cite(document=True) == "Document 59, p. 283"
    assert dev["d186"].pages[0].cite(document=True) == "Document 186, p. 401"


def test_an_unnumbered_single_page(tmp_path):
    path = tmp_path / "plain.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Only <hi>text</hi>.</p>'
                    "</body></text></TEI>", "utf-8")
    doc = teikit.load(path)
    assert [(p.n, p.text) for p in doc.pages] == [(None, "Only text.")]
    assert doc.pages[0].cite() == "unnumbered page"


# -- volumes ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def volume(volume_file):
    return teikit.load(volume_file)


def test_a_volume_iterates_over_its_documents(volume, dev):
    assert volume.is_volume and volume.id == "frus1955-57v01"
    assert [d.id for d in volume] == [f"d{n}" for n in range(185, 201)]
    assert volume.title == "Foreign Relations, test volume"
    for doc in volume:
        single = dev[doc.id]
        assert doc.volume == "frus1955-57v01"
        assert [(n.id, n.text) for n in doc.notes] == [(n.id, n.text) for n in single.notes]
        assert doc.text() == single.text()


def test_volume_pages_carry_over_from_document_to_document(volume, dev):
    d186 = volume.document("d186")
    assert [p.n for p in d186.pages] == ["401", "402", "403", "404", "405"]
    assert d186.pages[0].id == "pg_401" and not d186.pages[0].inferred
    d187 = volume.document("187")
    assert d187.pages[0].n == "405"  # d187 starts on the page where d186 ends
    merged = volume.page("405")  # the page shared by d186 and d187
    assert merged.text.startswith(dev["d186"].page("405").text + "\n" + d187.pages[0].text)
    assert volume.page_of(volume.get("d187fn1")).n == "405"
    # a chapter heading outside documents is no document's text, but a unit of its own
    assert not any("Chapter heading" in doc.text() for doc in volume)
    outside = [unit for unit in volume.units if not unit.is_document]
    assert [(u.kind, u.id, u.text()) for u in outside] == [
        ("body", "body", "Chapter heading, not part of any document")]
    assert volume.units.index(outside[0]) == 0 and "Chapter heading" in volume.text()


def test_volume_xpath_and_lookup(volume):
    assert volume.xpath("count(//tei:div[@type='document'])") == 16.0
    assert volume.get("d189fn2").document_id == "d189"
    assert volume.resolve("#d189").number == "189"
    assert len(volume.notes) == sum(len(d.notes) for d in volume)
