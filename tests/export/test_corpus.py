from __future__ import annotations

import shutil

import pytest

from teikit.errors import InputError
from teikit.export.corpus import build_corpus
from teikit.export.inputs import load_inputs
from teikit.xmlio import NSMAP, XML_ID, parse_xml, tei

POINTERS = ("target", "corresp", "ref")


def _ids(root):
    return {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}


def _local_pointers(root):
    for el in root.iter():
        if isinstance(el.tag, str):
            for attr in POINTERS:
                for tok in (el.get(attr) or "").split():
                    if tok.startswith("#"):
                        yield el, tok[1:]


def test_teicorpus_of_dev_corpus_keeps_everything(dev_docs):
    result = build_corpus(dev_docs, date="2026-01-02")
    root = parse_xml(result.to_bytes()).getroot()  # serialised output is well-formed
    assert root.tag == tei("teiCorpus")
    members = root.findall(tei("TEI"))
    assert len(members) == 20
    assert not result.prefixed  # the two volumes do not clash
    # every document, note and page break is still there, with its id
    source_ids = set().union(*(_ids(d.root) for d in dev_docs))
    assert source_ids <= _ids(root)
    assert len(root.findall(".//tei:note", NSMAP)) == 67
    assert len(root.findall(".//tei:pb", NSMAP)) == 43
    # text content per document unchanged
    out_divs = root.findall(".//tei:div[@type='document']", NSMAP)
    for doc, div in zip(dev_docs, out_divs):
        assert "".join(div.itertext()) == "".join(doc.documents[0].element.itertext())
    # every local pointer now resolves inside the corpus
    ids = _ids(root)
    assert all(target in ids for _el, target in _local_pointers(root))


def test_refs_inside_the_corpus_stay_local_and_outside_ones_name_their_volume(dev_docs):
    root = build_corpus(dev_docs).tree.getroot()
    targets = [r.get("target") for r in root.iter(tei("ref"))]
    assert "#d189" in targets and "#d186" in targets and "#d197fn3" in targets
    assert "frus1955-57v01#d201" in targets       # d201 is not in the dev corpus
    assert "frus1952-54v12p1" in targets          # external volume pointer untouched
    name = root.find(".//tei:persName", NSMAP)
    assert name.get("corresp").startswith("frus1955-57v01#p_")  # persons list is not in the corpus


def test_header_names_every_source_file(dev_docs):
    root = build_corpus(dev_docs[:2], title="Two telegrams", date="2026-01-02").tree.getroot()
    header = root.find(tei("teiHeader"))
    assert header.findtext("tei:fileDesc/tei:titleStmt/tei:title", namespaces=NSMAP) == "Two telegrams"
    files = [i.text for i in header.iterfind(".//tei:idno[@type='file']", NSMAP)]
    assert files == ["frus1955-57v01_d185.xml", "frus1955-57v01_d186.xml"]
    assert header.find(".//tei:application", NSMAP).get("ident") == "teikit"
    assert header.find(".//tei:change", NSMAP).get("when") == "2026-01-02"


def test_clashing_volumes_get_prefixed_ids_and_consistent_pointers(small_corpus):
    # the same document number in a second (made-up) volume: ids clash
    shutil.copy(small_corpus / "frus1955-57v01_d186.xml", small_corpus / "frus1999v99_d186.xml")
    docs = load_inputs([small_corpus])
    result = build_corpus(docs, layout="volume")
    root = result.tree.getroot()
    assert result.prefixed
    ids = _ids(root)
    assert {"frus1955-57v01_d186", "frus1999v99_d186", "frus1955-57v01_d186fn3",
            "frus1999v99_d186fn3", "frus1969-76ve13_d74"} <= ids
    assert len(ids) == sum(1 for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID))
    refs = {r.getparent().get(XML_ID): r.get("target") for r in root.iter(tei("ref"))
            if r.getparent().tag == tei("note")}
    assert refs["frus1955-57v01_d186fn3"] == "#frus1955-57v01_d189"   # resolves in the corpus
    assert refs["frus1999v99_d186fn3"] == "frus1999v99#d189"          # not in the corpus
    assert all(t in ids for _el, t in _local_pointers(root))


def test_same_document_twice_is_refused(small_corpus, tmp_path):
    other = tmp_path / "copy"
    other.mkdir()
    shutil.copy(small_corpus / "frus1955-57v01_d186.xml", other / "frus1955-57v01_d186.xml")
    docs = load_inputs([small_corpus, other])
    with pytest.raises(InputError, match="d186") as info:
        build_corpus(docs)
    assert info.value.line == 1


def test_teikit_output_is_accepted_with_its_header(tei_dir):
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("no converter output in tei/ yet")
    docs = load_inputs(files)
    root = build_corpus(docs).tree.getroot()
    members = root.findall(tei("TEI"))
    assert len(members) == len(files)
    for doc, member in zip(docs, members):
        assert member.find(tei("teiHeader")) is not None
        assert "".join(member.find(tei("text")).itertext()) == "".join(doc.root.find(tei("text")).itertext())


def test_volume_layout_is_one_tei_with_a_div_per_document(dev_docs):
    root = build_corpus(dev_docs, layout="volume").tree.getroot()
    assert root.tag == tei("TEI")
    body = root.find("tei:text/tei:body", NSMAP)
    assert [d.get(XML_ID) for d in body] == [d.documents[0].element.get(XML_ID) for d in dev_docs]


@pytest.mark.parametrize("layout", ["teicorpus", "volume"])
def test_corpus_is_valid_tei_all(dev_docs, tei_dir, tei_all_rng, layout):
    docs = dev_docs + load_inputs(sorted(tei_dir.glob("*.xml"))) if list(tei_dir.glob("*.xml")) else dev_docs
    tree = parse_xml(build_corpus(docs, layout=layout).to_bytes())
    ok = tei_all_rng.validate(tree)
    assert ok, str(tei_all_rng.error_log)[:2000]


def test_sources_report_bad_input_with_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<div xmlns='http://www.tei-c.org/ns/1.0'>\n<p>unclosed\n</div>")
    with pytest.raises(InputError) as info:
        load_inputs([bad])
    assert info.value.path == str(bad) and info.value.line
    other = tmp_path / "other.xml"
    other.write_text("<html/>")
    with pytest.raises(InputError, match="not a TEI document"):
        load_inputs([other])


def test_comments_and_processing_instructions_between_parts_are_kept(tmp_path):
    tei_file = tmp_path / "commented.xml"
    tei_file.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>C</title>'
        '</titleStmt></fileDesc></teiHeader><text><body><!-- first --><?proc x?>'
        '<div xml:id="a"><p>See <ref target="#a">here</ref> and <ref target="#gone">there</ref>.</p></div>'
        '</body></text></TEI>', encoding="utf-8")
    result = build_corpus(load_inputs([tei_file]), layout="volume", date="2026-01-02")
    body = result.tree.getroot().find(f"{tei('text')}/{tei('body')}")
    assert [type(node).__name__ for node in body][:2] == ["_Comment", "_ProcessingInstruction"]
    assert [d.message for d in result.unresolved] == ['@target="#gone" points outside the corpus']


def test_two_id_spaces_with_one_prefix_are_refused(tmp_path):
    """Files of no known volume are prefixed with their name made an NCName: two names that
    become one prefix would give two spaces one prefix, whatever the order of the others."""
    names = ["first.xml", "x y.xml", "second.xml", "x_y.xml"]
    for name in names:
        (tmp_path / name).write_text("<div xmlns='http://www.tei-c.org/ns/1.0' type='document'>"
                                     "<p xml:id='p1'>text</p></div>", encoding="utf-8")
    docs = load_inputs([tmp_path / name for name in names])
    with pytest.raises(InputError, match="two id spaces would both be prefixed 'x_y'") as info:
        build_corpus(docs)
    assert info.value.path == str(tmp_path / "x_y.xml")
    assert build_corpus(docs[:3]).prefixed  # each name its own prefix: p1 clashes, every id prefixed
