"""load() and the cycle collector: paused while a model is built, the new model aged once between
full collections, the collector's state and a caller's frozen objects left as they were."""
from __future__ import annotations

import gc
import weakref

import teikit
from teikit.query.index import read_file_rows

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><pb n="1"/>'
       '<p>Text<note n="1">A note.</note></p><pb n="2"/><p>More</p></body></text></TEI>')


def in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_a_new_model_is_aged_once_between_full_collections():
    gc.collect()
    first = teikit.load(TEI)
    assert in_generation(first, 2) and in_generation(first.pages[0], 2)
    second = teikit.load(TEI)  # no full collection since: this one ages as usual
    assert in_generation(second, 0)
    gc.collect()
    third = teikit.load(TEI)
    assert in_generation(third, 2)


def test_a_dropped_model_is_collected():
    gc.collect()
    doc = teikit.load(TEI)
    page, note = weakref.ref(doc.pages[0]), weakref.ref(doc.notes[0])
    assert doc.pages[0].notes == [doc.notes[0]]  # pages and notes point at each other: a cycle
    del doc
    gc.collect()
    assert page() is None and note() is None


def test_the_collector_state_is_left_as_it_was():
    gc.collect()
    gc.disable()
    try:
        teikit.load(TEI)
        assert not gc.isenabled()
    finally:
        gc.enable()
    teikit.load(TEI)
    assert gc.isenabled()


def test_objects_frozen_by_the_caller_stay_frozen():
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        doc = teikit.load(TEI)
        assert gc.get_freeze_count() == frozen and not in_generation(doc, 2)
    finally:
        gc.unfreeze()


def test_index_rows_leave_nothing_for_the_collector(tmp_path):
    path = tmp_path / "doc.xml"
    path.write_text(TEI, "utf-8")
    gc.collect()
    rows = read_file_rows(path).rows
    assert [row[3:6] for row in rows] == [("1", "text", None), ("2", "text", None), ("1", "note", "1")]
    assert gc.collect() == 0  # the walk's records were freed as they went, no cycle among them
