"""Integrity rules, safety (entities, XInclude, huge files) and the parallel runner."""
from __future__ import annotations

import shutil
import threading

import pytest

import teikit
from teikit.errors import InputError
from teikit import workers
from teikit.validation import runner

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="{n}" xml:id="d{n}">
  <head>{n}. Memorandum<note n="1" xml:id="d{n}fn1" type="source">Source.</note></head>
  <p>See <ref target="{target}">elsewhere</ref>.</p>
</div>
"""


def write_doc(folder, n, target):
    path = folder / f"d{n}.xml"
    path.write_text(DOC.format(n=n, target=target), encoding="utf-8")
    return path


def rules(report):
    return sorted({d.rule for d in report.diagnostics})


def test_reference_resolves_in_the_corpus_passed(tmp_path):
    a = write_doc(tmp_path, 1, "#d2fn1")
    b = write_doc(tmp_path, 2, "#d1")
    assert teikit.validate([a, b], refs="error").ok
    alone = teikit.validate(a, refs="error")
    assert rules(alone) == ["ref-target"]
    assert "'#d2fn1' does not resolve" in alone.diagnostics[0].message


def test_reference_to_a_named_file_checks_that_file(tmp_path):
    a = write_doc(tmp_path, 1, "d2.xml#d2fn1")
    write_doc(tmp_path, 2, "d2.xml#nowhere")
    report = teikit.validate(tmp_path, refs="error")
    (diag,) = report.diagnostics
    assert diag.file.endswith("d2.xml") and "no xml:id 'nowhere' in that file" in diag.message
    assert teikit.validate(a, refs="error").ok  # d2.xml not in the corpus passed: not checked


def test_reference_policy(tmp_path):
    a = write_doc(tmp_path, 1, "#missing")
    assert not teikit.validate(a, refs="error").ok
    assert teikit.validate(a).diagnostics[0].severity == "warning"  # the default
    assert teikit.validate(a, refs="warning").ok
    assert teikit.validate(a, refs="warning").diagnostics[0].severity == "warning"
    assert teikit.validate(a, refs="off").diagnostics == []


def test_external_volume_targets_are_not_checked(tmp_path):
    assert teikit.validate(write_doc(tmp_path, 1, "frus1952-54v12p1 https://example.org/x#y")).ok


def test_integrity_can_be_switched_off(data):
    assert rules(teikit.validate(data / "note-sequence.xml", integrity=False)) == []


def test_ids_are_collected_in_linear_time_structures(tmp_path):
    """5,000 notes and refs: dictionary lookups, so this stays fast and finds the one bad ref."""
    notes = "".join(f'<p>x<note n="{i}" xml:id="d1fn{i}">n<ref target="#d1fn{i - 1 or 1}">r</ref></note></p>'
                    for i in range(1, 5001))
    body = notes.replace('target="#d1fn4999"', 'target="#d1fn9999"')
    path = tmp_path / "big.xml"
    path.write_text(f'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1">'
                    f"<head>1.</head>{body}</div>", encoding="utf-8")
    report = teikit.validate(path, refs="error")
    assert [(d.rule, "#d1fn9999" in d.message) for d in report.diagnostics] == [("ref-target", True)]


def test_xinclude_is_expanded_before_validation(data):
    report = teikit.validate(data / "xinclude" / "main.xml")
    # the included note lacks @n (schema) and the ref to the included note resolves
    assert rules(report) == ["teikit.xsd"]  # (the note-id rule needs an @n to judge)
    assert any("attribute 'n' is required" in d.message for d in report.diagnostics)


def test_xinclude_of_a_url_is_refused(tmp_path):
    path = tmp_path / "remote.xml"
    path.write_text('<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" '
                    'type="document" n="1" xml:id="d1"><xi:include href="http://example.org/a.xml"/></div>')
    (diag,) = teikit.validate(path).diagnostics
    assert diag.rule == "xinclude" and "refused" in diag.message


def test_billion_laughs_is_refused_with_a_clear_error(data):
    report = teikit.validate(data / "billion-laughs.xml")
    (diag,) = report.diagnostics
    assert diag.rule == "entity-expansion" and "billion laughs" in diag.message
    assert not report.ok


def test_external_entity_is_not_resolved(data):
    report = teikit.validate(data / "external-entity.xml")
    assert not report.ok
    assert [d.rule for d in report.diagnostics] == ["entity"]
    assert "&secret;" in report.diagnostics[0].message


def test_internal_entities_are_expanded_as_load_expands_them(tmp_path):
    """validate reported each internal entity as an external one not loaded (an error) and
    removed its text before the schemas saw the file; teikit.load expands them."""
    path = tmp_path / "ed.xml"
    path.write_text('<!DOCTYPE TEI [<!ENTITY ed "the &who;"><!ENTITY who "editor &#233;">]>\n'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>by &ed;</p></body></text></TEI>')
    rules = tmp_path / "text.sch"   # passes only when the schema sees the entities' text
    rules.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron">'
                     '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:p">'
                     "<assert test=\". = 'by the editor \u00e9'\">the entities' text</assert>"
                     '</rule></pattern></schema>')
    report = teikit.validate(path, schemas=[rules])
    assert report.ok and report.diagnostics == [], report.diagnostics
    assert teikit.load(path).text() == "by the editor \u00e9"


def test_external_entities_are_each_reported_beside_internal_ones(tmp_path):
    path = tmp_path / "mixed.xml"
    path.write_text('<!DOCTYPE TEI [<!ENTITY ed "the editor"><!ENTITY x SYSTEM "x.txt">'
                    '<!ENTITY y SYSTEM "y.txt">]>\n'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&ed; &x;</p>\n'
                    '<p>&y;</p></body></text></TEI>')
    report = teikit.validate(path, profile="none")
    assert [(d.rule, d.line) for d in report.errors] == [("entity", 2), ("entity", 3)]
    assert "&x;" in report.errors[0].message and "&y;" in report.errors[1].message


def test_huge_file_validates(tmp_path):
    """A text node over libxml2's 10 MB default limit is accepted (huge_tree)."""
    big = "word " * 2_400_000
    path = tmp_path / "huge.xml"
    path.write_text(f'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1">'
                    f"<head>1.</head><p>{big}</p></div>", encoding="utf-8")
    assert path.stat().st_size > 11_000_000
    assert teikit.validate(path).ok


def test_missing_path_raises_input_error(tmp_path):
    with pytest.raises(InputError):
        teikit.validate(tmp_path / "nope.xml")
    with pytest.raises(InputError):
        teikit.validate(str(tmp_path / "*.xml"))


def test_folders_and_globs(data, tmp_path):
    shutil.copy(data / "valid.xml", tmp_path / "a.xml")
    (tmp_path / "sub").mkdir()
    shutil.copy(data / "valid.xml", tmp_path / "sub" / "b.xml")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(data / "valid.xml", tmp_path / ".hidden" / "c.xml")
    assert len(teikit.validate(tmp_path).files) == 2
    assert len(teikit.validate(str(tmp_path / "**" / "*.xml")).files) == 2
    assert len(teikit.validate([tmp_path / "a.xml", tmp_path]).files) == 2  # no duplicates


@pytest.mark.parametrize("other_thread", [False, True], ids=["as the process is", "with another thread"])
def test_parallel_run_gives_the_serial_report(dev_corpus, data, monkeypatch, other_thread):
    # a process running another thread (a server's, a Dask client's) must not fork its workers:
    # they come from a fork server and compile the schemas themselves.  Earlier tests may have
    # left threads running in this process (a Dask client's loop), so "as the process is" forks
    # only when it really runs one thread.
    files = sorted(dev_corpus.glob("*.xml")) + sorted(data.glob("*.xml"))
    serial = teikit.validate(files, jobs=1)
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)
    done, methods = [], []
    real_context = workers._start_context
    monkeypatch.setattr(workers, "_start_context",
                        lambda otherwise: methods.append(real_context(otherwise).get_start_method())
                        or real_context(otherwise))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    if other_thread:
        thread.start()
    expected = "fork" if threading.active_count() == 1 else "forkserver"
    try:
        parallel = teikit.validate(files, jobs=2, progress=done.append)
    finally:
        stop.set()
        if other_thread:
            thread.join()
    assert methods == [expected]
    assert sum(done) == len(files)
    assert parallel.diagnostics == serial.diagnostics
    assert parallel.files == serial.files


def test_dangling_pointer_into_the_same_document_is_an_error_by_default(tmp_path):
    import teikit
    doc = tmp_path / "d59.xml"
    doc.write_text(
        '<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d59" n="59">'
        '<head>59. T<note n="1" xml:id="d59fn1">See <ref target="#d59fn7">footnote 7</ref> and '
        '<ref target="#d590">Document 590</ref>.</note></head></div>', "utf-8")
    report = teikit.validate([doc], schemas=[])
    found = {(d.severity, d.message.split(":")[0]) for d in report.diagnostics if d.rule == "ref-target"}
    assert ("error", "target '#d59fn7' points into document 'd59', which has no xml") in found
    assert any(sev == "warning" and "'#d590'" in msg for sev, msg in found)
    assert not report.ok


def test_corpus_ids_resolve_references_across_files_in_order(tmp_path):
    from teikit.validation.integrity import CorpusIds, ExternalIds, PendingRef

    a, b, outside = str(tmp_path / "a.xml"), str(tmp_path / "b.xml"), tmp_path / "outside.xml"
    outside.write_text("<x/>", encoding="utf-8")

    def ref(target, ident, target_file=None, line=1):
        return PendingRef(a, target, ident, target_file, line, "/TEI/p")

    with CorpusIds() as corpus:
        corpus.add(a, {"a1"}, [ref("#b1", "b1"), ref("#gone", "gone", line=2), ref("#ext7", "ext7"),
                               ref("b.xml#b1", "b1", b), ref("b.xml#a1", "a1", b, line=3),
                               ref("nofile.xml#x", "x", str(tmp_path / "nofile.xml"), line=4),
                               ref("outside.xml#x", "x", str(outside))])
        corpus.add(b, ["b1", "b2"], [])
        found = corpus.resolve("error", ExternalIds(patterns=("ext\\d+",)))
        assert corpus.resolve("off") == []
    assert [(d.line, d.severity, d.message) for d in found] == [
        (2, "error", "target '#gone' does not resolve: no xml:id 'gone' in this file or the other files "
                     "checked (declare external ids with --known-ids or --id-pattern)"),
        (3, "error", "target 'b.xml#a1' does not resolve: no xml:id 'a1' in that file"),
        (4, "error", f"target 'nofile.xml#x' does not resolve: no file {tmp_path / 'nofile.xml'}")]


def test_the_report_lets_each_file_result_go_once_read(tmp_path):
    """Memory flat in the number of files: neither a result nor its set of ids is kept after its
    diagnostics, ids and references are taken (the ids go to a temporary database)."""
    import gc
    import weakref

    from teikit.validation.integrity import PendingRef

    plan = runner.make_plan(None, None, "none", True, runner.IncludePolicy())
    alive: list[weakref.ref[object]] = []
    still_held = []

    def results():
        for n in range(50):
            gc.collect()
            still_held.append(sum(r() is not None for r in alive))
            result = runner.FileResult(f"f{n}.xml", ids={f"d{n}"},
                                       pending=[PendingRef(f"f{n}.xml", f"#d{n + 1}", f"d{n + 1}", None, 1, None)])
            alive.extend([weakref.ref(result), weakref.ref(result.ids)])
            yield result
            del result

    files = [f"f{n}.xml" for n in range(50)]
    report = runner.make_report(files, plan, results(), "error", None)
    assert report.files == files
    assert [d.message for d in report.diagnostics] == [  # only the last file's target is nowhere
        "target '#d50' does not resolve: no xml:id 'd50' in this file or the other files checked "
        "(declare external ids with --known-ids or --id-pattern)"]
    assert max(still_held) <= 2


PLAY = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc><particDesc><listPerson>
<person xml:id="ann"/></listPerson></particDesc></profileDesc></teiHeader>
<text><body><sp who="{who}"><speaker>Ann</speaker><p>Hello.</p></sp></body></text></TEI>
"""


@pytest.mark.parametrize("who, dangling", [("#ann", []), ("#ann #carl", ["#carl"]), ("ann", []),
                                           ("cast.xml#bob", [])])
def test_speakers_must_be_people_of_the_play(tmp_path, who, dangling):
    """@who (TEI drama's speakers) points at a person or role like a ref's target."""
    (tmp_path / "cast.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                                       '<p xml:id="bob">Bob</p></body></text></TEI>')
    play = tmp_path / "play.xml"
    play.write_text(PLAY.format(who=who))
    report = teikit.validate([play, tmp_path / "cast.xml"], schemas=[], profile="none", refs="error", jobs=1)
    assert [d.message.split("'")[1] for d in report.errors] == dangling
    assert all(d.rule == "ref-target" and d.line == 3 and d.path.endswith("/sp") for d in report.errors)
