"""RELAX NG pruning keeps verdicts; agreement with jing on real TEI; the name-set caches."""
from __future__ import annotations

import json

import pytest
from lxml import etree

import teikit
from teikit.validation import relaxng
from teikit.validation.schemas import SchemaError, load_validator
from teikit.xmlio import safe_parser

from tests.conftest import SHARED, TEI_DIR

SAMPLES = SHARED / "tei-samples"
#: diagnostics that mean "the file could not be read as XML", jing's "fatal"
FATAL_RULES = {"well-formed", "xinclude", "entity-expansion", "entity", "io-error"}


def jing_verdicts() -> dict[str, str]:
    path = SAMPLES / "jing-verdicts.json"
    if not path.exists():
        pytest.skip(f"{path} is not present beside the checkout")
    return json.loads(path.read_text("utf-8"))["jing"]


def verdict(diagnostics) -> str:
    if any(d.rule in FATAL_RULES for d in diagnostics):
        return "fatal"
    return "invalid" if any(d.severity == "error" for d in diagnostics) else "valid"


def test_verdicts_equal_jings_on_every_tei_sample(tei_schemas):
    verdicts = jing_verdicts()
    files = [str(SAMPLES / name) for name in verdicts]
    report = teikit.validate(files, schemas=[], tei_all=tei_schemas / "tei_all.rng", profile="none",
                             refs="off", jobs=1)
    ours = {name: verdict(report.for_file(str(SAMPLES / name))) for name in verdicts}
    assert ours == verdicts
    assert {"valid", "invalid", "fatal"} <= set(verdicts.values())


# --------------------------------------------------------------------------- equivalence

def _first(root, local):
    return next(root.iter(f"{{http://www.tei-c.org/ns/1.0}}{local}"), None)


def _tei(local, text=None):
    el = etree.Element(f"{{http://www.tei-c.org/ns/1.0}}{local}")
    el.text = text
    return el


def _rename_p(root):
    _first(root, "p").tag = "{http://www.tei-c.org/ns/1.0}bogus"


def _header_in_p(root):
    _first(root, "p").append(_tei("teiHeader"))


def _drop_title_stmt(root):
    stmt = _first(root, "titleStmt")
    stmt.getparent().remove(stmt)


def _bad_attribute(root):
    _first(root, "p").set("colour", "red")


def _verse_in_head(root):
    lg = _tei("lg")
    lg.append(_tei("l", "a line"))
    (_first(root, "head") if _first(root, "head") is not None else _first(root, "p")).append(lg)


def _line_in_body(root):
    _first(root, "body").insert(0, _tei("l", "stray"))


def _foreign_element(root):
    _first(root, "p").append(etree.Element("{urn:other}thing"))


MUTATIONS = [_rename_p, _header_in_p, _drop_title_stmt, _bad_attribute, _verse_in_head,
             _line_in_body, _foreign_element]


@pytest.fixture(scope="module")
def mutation_corpus(tmp_path_factory):
    """Valid TEI (teikit's output, jing-valid samples) and mutated copies of each."""
    verdicts = jing_verdicts()
    valid = sorted(TEI_DIR.glob("*.xml")) + [SAMPLES / n for n, v in sorted(verdicts.items())
                                               if v == "valid"][:8]
    folder = tmp_path_factory.mktemp("mutations")
    files = []
    for source in valid:
        tree = etree.parse(str(source), safe_parser())
        if _first(tree.getroot(), "p") is None or _first(tree.getroot(), "titleStmt") is None:
            continue
        files.append(folder / f"{source.stem}.xml")
        tree.write(str(files[-1]))
        for mutate in MUTATIONS:
            copy = etree.parse(str(source), safe_parser())
            mutate(copy.getroot())
            files.append(folder / f"{source.stem}-{mutate.__name__.strip('_')}.xml")
            # pretty lines would move: keep the serialisation, lines still differ per mutation
            copy.write(str(files[-1]))
    return files


@pytest.fixture(scope="module")
def whole_tei_all(tei_schemas):
    """tei_all compiled whole by libxml2, without pruning (slow: 15 s or more)."""
    return etree.RelaxNG(etree.parse(str(tei_schemas / "tei_all.rng")))


def test_pruned_tei_all_gives_the_whole_schemas_verdicts_and_first_error_lines(
        mutation_corpus, whole_tei_all, tei_schemas):
    report = teikit.validate(mutation_corpus, schemas=[], tei_all=tei_schemas / "tei_all.rng",
                             profile="none", integrity=False, jobs=1)
    assert len(mutation_corpus) >= 40
    invalid = 0
    for file in mutation_corpus:
        whole_ok = whole_tei_all.validate(etree.parse(str(file), safe_parser()))
        ours = report.for_file(str(file))
        assert (not ours) == whole_ok, file
        if not whole_ok:
            invalid += 1
            assert ours[0].line == whole_tei_all.error_log[0].line, file
    assert invalid >= len(MUTATIONS) * 2  # the corpus really has invalid documents


# --------------------------------------------------------------------------- pruning itself

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:a="urn:a" ns="urn:a">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc"><zeroOrMore><choice>
    <ref name="used"/><ref name="unused"/><element><anyName/><empty/></element>
    <element><name ns="urn:b">b</name><empty/></element>
    <element name="a:c"><empty/></element>
  </choice></zeroOrMore></element></define>
  <define name="used"><element name="used"><text/></element></define>
  <define name="unused"><element name="unused"><ref name="deep"/></element></define>
  <define name="deep"><element name="deep"><empty/></element></define>
</grammar>"""


def test_prune_replaces_unused_names_keeps_name_classes_and_drops_dead_defines():
    doc = etree.ElementTree(etree.fromstring(GRAMMAR))
    names = {el: relaxng._local_name(el) for el in doc.iter(f"{{{relaxng.RNG_NS}}}element")}
    assert sorted(n or "*" for n in names.values()) == ["*", "b", "c", "deep", "doc", "unused", "used"]
    pruned = relaxng.prune(doc, frozenset({"doc", "used"}), names, propagate=True).getroot()
    text = etree.tostring(pruned).decode()
    assert "<anyName/>" in text and 'name="used"' in text
    # the emptied define is referenced from a choice only: the alternative goes, then the define
    assert {d.get("name") for d in pruned.iter(f"{{{relaxng.RNG_NS}}}define")} == {"doc", "used"}
    assert 'name="deep"' not in text  # reachable only through a pruned element
    assert etree.RelaxNG(pruned).validate(etree.fromstring('<doc xmlns="urn:a"><used>x</used><z/></doc>'))
    assert doc.getroot().find(".//{urn:teikit}prune") is None and "urn:teikit" not in etree.tostring(doc).decode()


PROPAGATION = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><zeroOrMore><choice><ref name="a"/><ref name="gone"/></choice></zeroOrMore>
    <optional><ref name="gone"/></optional><optional><group><ref name="a"/><ref name="gone"/></group></optional>
  </element></start>
  <define name="a"><element name="a"><optional><attribute name="n"/></optional><text/></element></define>
  <define name="gone"><element name="gone"><empty/></element></define>
</grammar>"""


@pytest.mark.parametrize("document, valid", [
    ("<doc/>", True), ("<doc><a>x</a><a n='1'/></doc>", True),
    ("<doc><b/></doc>", False), ("<doc><a/><b/></doc>", False), ("<doc>text</doc>", False),
])
def test_what_matches_nothing_is_propagated_without_changing_verdicts(document, valid):
    doc = etree.ElementTree(etree.fromstring(PROPAGATION))
    names = {el: relaxng._local_name(el) for el in doc.iter(f"{{{relaxng.RNG_NS}}}element")}
    pruned = relaxng.prune(doc, frozenset({"doc", "a", "b"}), names, propagate=True).getroot()
    tags = {etree.QName(el).localname for el in pruned.iter(etree.Element)}
    # no notAllowed is left for libxml2 to interpret: the content compiles to an automaton
    assert "notAllowed" not in tags and "group" not in tags and "empty" in tags
    assert "gone" not in etree.tostring(pruned).decode()
    assert etree.RelaxNG(pruned).validate(etree.fromstring(document)) is valid
    assert etree.RelaxNG(doc).validate(etree.fromstring(document)) is valid


def test_name_sets_grow_and_pruned_schemas_are_cached_on_disk(tmp_path):
    store: dict[str, bytes] = {}
    big = GRAMMAR.replace("</grammar>", "<!--" + "x" * relaxng.PRUNE_MIN_BYTES + "--></grammar>")
    doc = etree.ElementTree(etree.fromstring(big))
    assert relaxng.PrunableGrammar.applies_to(doc, len(big))
    grammar = relaxng.PrunableGrammar(doc, big.encode(), store.get, store.__setitem__)
    first = grammar.for_names(frozenset({"doc", "used"}))
    assert grammar.for_names(frozenset({"doc"})) is first  # covered by what is compiled
    second = grammar.for_names(frozenset({"doc", "unused"}))
    assert second is not first and len(store) == 2
    again = relaxng.PrunableGrammar(doc, big.encode(), store.get, lambda *_: pytest.fail("not stored again"))
    assert again.for_names(frozenset({"doc", "used"})).validate(
        etree.fromstring('<doc xmlns="urn:a"><used>x</used></doc>'))


def test_small_grammars_compile_whole_so_errors_anywhere_are_found(tmp_path):
    broken = GRAMMAR.replace('<define name="deep"><element name="deep"><empty/></element></define>',
                             '<define name="deep"><element name="deep"><ref name="nowhere"/></element></define>')
    (tmp_path / "broken.rng").write_text(broken)
    with pytest.raises(SchemaError, match="not a usable RELAX NG schema"):
        load_validator(tmp_path / "broken.rng")


def test_scan_finds_prefixed_and_plain_start_tags(tmp_path):
    (tmp_path / "a.xml").write_text('<tei:TEI xmlns:tei="urn:x"><p/><!-- <note> --></tei:TEI>')
    assert relaxng.scan_local_names([str(tmp_path / "a.xml")]) == {"TEI", "p", "note"}


def test_a_name_the_batch_scan_missed_still_gets_the_whole_grammars_verdict(tmp_path):
    """The batch's grammar accepts only what the whole grammar accepts; a document it rejects
    is judged again with its own names (here: names no scan saw, as an XInclude brings)."""
    big = GRAMMAR.replace("</grammar>", "<!--" + "x" * relaxng.PRUNE_MIN_BYTES + "--></grammar>")
    (tmp_path / "big.rng").write_text(big)
    validator = load_validator(tmp_path / "big.rng")
    assert validator.prunes
    validator.expect(frozenset({"doc"}))
    valid = etree.ElementTree(etree.fromstring('<doc xmlns="urn:a"><unused><deep/></unused></doc>'))
    invalid = etree.ElementTree(etree.fromstring('<doc xmlns="urn:a"><unused>text</unused></doc>'))
    assert validator.check(valid, "valid.xml") == []
    assert validator.check(invalid, "invalid.xml")


def test_a_new_runs_names_replace_those_of_earlier_runs():
    """Names add up within a run; a long-lived worker's next run starts again from its own names
    (its grammar does not grow with every corpus it has seen)."""
    big = GRAMMAR.replace("</grammar>", "<!--" + "x" * relaxng.PRUNE_MIN_BYTES + "--></grammar>")
    doc = etree.ElementTree(etree.fromstring(big))
    grammar = relaxng.PrunableGrammar(doc, big.encode(), {}.get, lambda *_: None)
    tree = etree.fromstring('<doc xmlns="urn:a"><unused><deep/></unused></doc>')
    grammar.expect(frozenset({"doc", "unused", "deep"}))
    grammar.expect(frozenset({"doc", "used"}))  # the same run: the union
    assert grammar.current().validate(tree)
    grammar.expect(frozenset({"doc", "used"}), fresh=True)  # a new run
    assert not grammar.current().validate(tree)


RNG = "http://relaxng.org/ns/structure/1.0"


def _schema(tmp_path, pattern: str):
    """``pattern`` (its first element in the RELAX NG namespace) written as a schema file."""
    path = tmp_path / "s.rng"
    name_end = pattern.index(" ") if pattern.index(" ") < pattern.index(">") else pattern.index(">")
    path.write_text(f'{pattern[:name_end]} xmlns="{RNG}"{pattern[name_end:]}', encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern, message", [
    ('<element name="a" datatypeLibrary="foo:"><empty/></element>', "not an absolute URI"),
    ('<element name="a" datatypeLibrary="http://x#y"><empty/></element>', "not an absolute URI"),
    ('<element name="a"><attribute><anyName/><text/></attribute></element>', "must be inside oneOrMore"),
    ('<element name="a"><attribute><choice><nsName ns=""/><name>b</name></choice><text/></attribute></element>',
     "must be inside oneOrMore"),
])
def test_schemas_breaking_rules_libxml2_lets_pass_are_refused(tmp_path, pattern, message):
    from teikit.validation.schemas import SchemaError, load_validator
    with pytest.raises(SchemaError, match=message):
        load_validator(_schema(tmp_path, pattern))


@pytest.mark.parametrize("pattern", [
    '<element name="a" datatypeLibrary=""><empty/></element>',
    '<element name="a"><zeroOrMore><attribute><anyName/><text/></attribute></zeroOrMore></element>',
    '<grammar><start><element name="a"><oneOrMore><ref name="any"/></oneOrMore></element></start>'
    '<define name="any"><attribute><anyName/><text/></attribute></define></grammar>',
])
def test_schemas_keeping_those_rules_load(tmp_path, pattern):
    from teikit.validation.schemas import load_validator
    load_validator(_schema(tmp_path, pattern))
