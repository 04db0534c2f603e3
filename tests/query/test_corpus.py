"""Corpus: lookup, cross-document references, search with and without the FTS5 index."""
from __future__ import annotations

import dataclasses
import sqlite3

import pytest

import teikit
from teikit.errors import InputError, TeikitError
from teikit.query import Note
from teikit.query.search import tokens
from teikit.query.index import build_index, require_fts5, search_index, stale_sources


def test_lookup_by_id_number_and_volume(dev, dev_corpus):
    assert len(dev) == 20
    assert dev["d186"].number == "186"
    assert dev["186"] is dev["d186"]
    assert dev["frus1969-76ve13/d74"].volume == "frus1969-76ve13"
    assert "d999" not in dev and dev.get("d999") is None
    with pytest.raises(KeyError, match="no document"):
        dev["frus1969-76ve13/d186"]


def test_lookup_by_a_number_given_as_an_int(dev):
    """corpus[186] raised AttributeError ('int' object has no attribute 'rpartition'), and so did
    `186 in corpus`, while doc.note(3) and doc.page(405) take numbers."""
    assert dev[186] is dev["186"] and dev.get(186) is dev["d186"] and 186 in dev
    assert 99999 not in dev and dev.get(99999) is None and 1.5 not in dev
    with pytest.raises(KeyError):
        dev[99999]
    with pytest.raises(TypeError, match="key must be str, not float"):
        dev[1.5]


def test_the_same_id_in_two_volumes_is_ambiguous_without_the_volume(dev_corpus, tmp_path):
    copy = tmp_path / "frus1999v01_d186.xml"
    copy.write_bytes((dev_corpus / "frus1955-57v01_d186.xml").read_bytes())
    corpus = teikit.Corpus([dev_corpus, copy])
    with pytest.raises(KeyError, match="several documents"):
        corpus["d186"]
    assert corpus["frus1999v01/d186"].path == copy
    # "#d189" from the copy's volume is not in that volume: found in the other one
    ref = corpus["frus1999v01/d186"].refs[0]
    assert corpus.resolve(ref) is corpus["d189"]


def test_what_cites_a_document(dev):
    citing = dev.cited_by("d189")
    assert [(r.document_id, r.target, r.cite()) for r in citing] == [
        ("d186", "#d189", "Document 186, p. 404, note 3")]
    assert [r.document_id for r in dev.cited_by("186")] == ["d189"]
    assert [r.document_id for r in dev.cited_by(dev["d200"])] == ["d198"]
    # a note target counts as citing its document
    assert [r.target for r in dev.cited_by("d197")] == ["#d197fn3"]
    # documents outside the corpus: refs found by id, left unresolved
    assert [r.document_id for r in dev.cited_by("d28")] == ["d190"]
    assert dev.cited_by("d185") == []


def test_refs_resolve_to_documents_and_notes_or_stay_external(dev):
    by_target = {r.target: dev.resolve(r) for r in dev.refs}
    assert by_target["#d189"] is dev["d189"]
    assert isinstance(by_target["#d197fn3"], Note) and by_target["#d197fn3"].text.startswith("Titled")
    assert by_target["frus1952-54v12p1"] is None
    assert by_target["#d205"] is None
    external = [r for r in dev.refs if not r.internal]
    assert [r.target for r in external] == ["frus1952-54v12p1", "frus1952-54v13p2"]


def test_search_cites_document_and_page(dev):
    hits = dev.search('"Geneva Accords"')
    assert [h.citation for h in hits] == [
        "Document 186, p. 402", "Document 186, p. 404", "Document 194, p. 419"]
    assert "Geneva Accords" in hits[0].snippet
    notes = dev.search("Document 189")
    assert [h.citation for h in notes] == ["Document 186, p. 404, note 3"]
    assert dev.search("Diem", limit=2) == dev.search("Diem")[:2]
    assert dev.search("") == [] and dev.search("zzyzx") == []


def test_search_is_case_and_accent_insensitive_whole_words(dev):
    assert dev.search("GENEVA accords") == dev.search('"geneva" "ACCORDS"')
    assert dev.search("communique") == dev.search("communiqué") != []
    assert dev.search("Genev") == []


def test_search_finds_a_word_broken_across_pages(d59):
    hits = teikit.Corpus([d59]).search("reluctantly")
    assert [h.citation for h in hits] == ["Document 59, p. 283"]


@pytest.fixture(scope="module")
def index(dev, tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "dev.sqlite"
    stats = build_index(dev, path)
    assert stats.rows == sum(bool(p.text) for d in dev for p in d.pages) + len(dev.notes)
    return path


def without_snippets(hits):
    return [dataclasses.replace(hit, snippet="") for hit in hits]


@pytest.mark.parametrize("query", ["Diem", '"Geneva Accords"', "Document 189", "NSC 5405", "U.S.",
                                   "communique", "elections 1956", '"free elections"', "zzyzx", "Saigon"])
def test_the_index_finds_what_the_scan_finds(dev, index, query):
    indexed = search_index(index, query)
    assert without_snippets(indexed) == without_snippets(dev.search(query))
    for hit in indexed:  # the snippet FTS5 made shows where the words are
        assert tokens(query)[0] in tokens(hit.snippet), hit


def test_phrases_match_the_same_words_with_and_without_the_index(tmp_path):
    path = tmp_path / "punct.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Geneva. Accords; '
                    "l'Élysée, U.S.-Soviet café_bar x2y</p><p>Geneva and Accords</p></body></text></TEI>",
                    "utf-8")
    corpus = teikit.Corpus(path)
    index = tmp_path / "punct.sqlite"
    build_index(corpus, index)
    for query in ('"Geneva Accords"', '"l elysee"', '"U S Soviet"', '"cafe bar"', "x2y", '"and accords"'):
        assert without_snippets(search_index(index, query)) == without_snippets(corpus.search(query)), query


def test_the_index_of_one_path_given_alone_is_that_of_the_path_in_a_list(dev_corpus, tmp_path):
    """One path on its own is one path (as validate and Corpus take it), not its characters."""
    alone = build_index(str(dev_corpus), tmp_path / "alone.sqlite", jobs=1)
    listed = build_index([dev_corpus], tmp_path / "listed.sqlite", jobs=1)
    assert alone == listed and alone.files == 20


def test_the_index_is_built_by_workers_from_files_the_same_way(dev, dev_corpus, index, tmp_path):
    from_files = tmp_path / "files.sqlite"
    stats = build_index([dev_corpus], from_files, jobs=2)
    assert stats.files == 20 and stats.units == len(dev.units)
    for query in ("Diem", '"free elections"'):
        assert search_index(from_files, query) == search_index(index, query)


def test_index_limit_and_staleness(dev, index, tmp_path, dev_corpus):
    assert len(search_index(index, "Diem", limit=3)) == 3
    assert stale_sources(index) == []
    source = tmp_path / "frus1955-57v01_d186.xml"
    source.write_bytes((dev_corpus / "frus1955-57v01_d186.xml").read_bytes())
    small = tmp_path / "small.sqlite"
    build_index(teikit.Corpus(source), small)
    source.write_bytes(source.read_bytes() + b"\n")
    assert stale_sources(small) == [str(source)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frus1955-57v01_d186.xml", "small.sqlite"]


def test_a_file_changed_while_it_is_indexed_is_stale(tmp_path, dev_corpus, monkeypatch):
    from teikit.query import index as index_module
    source = tmp_path / "frus1955-57v01_d186.xml"
    source.write_bytes((dev_corpus / "frus1955-57v01_d186.xml").read_bytes())
    read_tei = index_module.read_tei

    def read_then_edit(path):
        tree = read_tei(path)
        source.write_bytes(source.read_bytes() + b"\n")  # edited once read, before the index is written
        return tree

    monkeypatch.setattr(index_module, "read_tei", read_then_edit)
    built = tmp_path / "built.sqlite"
    build_index([source], built, jobs=1)
    assert stale_sources(built) == [str(source)]


def index_rows(path):
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT * FROM units ORDER BY rowid").fetchall()


def test_workers_write_the_rows_of_the_corpus_in_its_order(tmp_path, dev_corpus):
    from tests.query.test_tei_samples import SAMPLES, load_or_refuse
    files = [*sorted(dev_corpus.glob("*.xml")), *(path for path in SAMPLES if load_or_refuse(path))]
    loaded, from_workers = tmp_path / "loaded.sqlite", tmp_path / "workers.sqlite"
    build_index(teikit.Corpus(files), loaded)
    build_index(files, from_workers, jobs=2)
    rows = index_rows(from_workers)
    assert len(rows) > 1000 and rows == index_rows(loaded)


def test_missing_or_foreign_index_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such index"):
        search_index(tmp_path / "none.sqlite", "x")
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(InputError, match="not a teikit index"):
        search_index(foreign, "x")


def test_a_sqlite_without_fts5_gives_a_clear_error(monkeypatch):
    class NoFts5:
        def execute(self, sql):
            raise sqlite3.OperationalError("no such module: fts5")

        def close(self):
            pass

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: NoFts5())
    require_fts5.cache_clear()  # the probe's answer is kept for the life of the process
    try:
        with pytest.raises(TeikitError, match="has no FTS5"):
            require_fts5()
    finally:
        require_fts5.cache_clear()


def test_corpus_reports_missing_paths(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        teikit.Corpus(tmp_path / "nothing")
    with pytest.raises(InputError, match="no .xml files"):
        teikit.Corpus(tmp_path)
