"""The public API's boundary: exported names, argument checks, load()'s inputs, error types."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from lxml import etree

import teikit

ROOT = Path(__file__).resolve().parent.parent
TEI_FILE = ROOT / "tei" / "000_7077ceb38f60db2d.xml"
SEED = ROOT / "seeds" / "000_7077ceb38f60db2d.txt"
SMALL_TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
             '<p>Hi<note xml:id="n1" n="1">a note</note></p></body></text></TEI>')


def test_every_public_name_resolves_and_has_a_docstring_with_an_example():
    for name in teikit.__all__:
        value = getattr(teikit, name)
        if name == "__version__":
            continue
        assert value.__doc__, name
        assert ">>>" in value.__doc__, f"{name}: no example in its docstring"


def test_error_types_are_exported_and_share_one_base():
    for error in (teikit.InputError, teikit.OutputError, teikit.SchemaError, teikit.TeikitKeyError):
        assert issubclass(error, teikit.TeikitError)
    assert issubclass(teikit.TeikitKeyError, KeyError)


def test_import_teikit_loads_no_heavy_module():
    code = "import sys, teikit; print(sorted(m for m in ('lxml', 'teikit.query', 'teikit.converter') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- validate -----------------------------------------------------------------------------

def test_validate_refuses_an_unknown_refs_policy_before_any_work():
    with pytest.raises(ValueError, match=r"refs='eror' is not one of 'error', 'warning', 'off'"):
        teikit.validate(["does-not-exist"], refs="eror")  # type: ignore[arg-type]


def test_validate_refuses_an_unknown_profile():
    with pytest.raises(ValueError, match=r"profile='fru'"):
        teikit.validate(["does-not-exist"], profile="fru")  # type: ignore[arg-type]


# -- convert ------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [teikit.validate, teikit.Corpus])
def test_a_bytes_path_is_refused_with_a_hint_not_read_as_numbers(call, tmp_path):
    """validate(b"tei") and Corpus(b"tei") iterated the bytes: 'expected str, bytes or
    os.PathLike object, not int'."""
    with pytest.raises(TypeError, match=r"a path must be str or PathLike, not bytes: decode a bytes path"):
        call(os.fsencode(tmp_path))
    with pytest.raises(TypeError, match=r"not bytes"):
        call([os.fsencode(tmp_path)])


def test_convert_refuses_bytes_with_a_hint():
    with pytest.raises(TypeError, match=r"text must be str, not bytes: use convert_bytes\(\)"):
        teikit.convert(b"1. Telegram\n\nText.\n")  # type: ignore[arg-type]


def test_convert_bytes_refuses_str():
    with pytest.raises(TypeError, match=r"data must be bytes, not str"):
        teikit.convert_bytes("text")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["seeds/x.txt", "notes.md", str(SEED)])
def test_convert_refuses_a_file_name_and_points_to_convert_file(name):
    with pytest.raises(ValueError, match=r"not a file name .*use convert_file\(\)"):
        teikit.convert(name)


def test_convert_still_takes_a_one_line_text():
    result = teikit.convert("A single line of prose, ending with a full stop.")
    assert "A single line of prose" in "".join(result.root.itertext())


def test_convert_file_reads_the_file():
    assert teikit.convert_file(SEED).root.tag == "{http://www.tei-c.org/ns/1.0}TEI"


# -- load ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda: SMALL_TEI,
    lambda: "\ufeff  \n" + SMALL_TEI,
    lambda: SMALL_TEI.encode(),
    lambda: io.BytesIO(SMALL_TEI.encode()),
    lambda: etree.fromstring(SMALL_TEI),
    lambda: etree.ElementTree(etree.fromstring(SMALL_TEI)),
], ids=["text", "text-with-bom", "bytes", "binary-file", "element", "tree"])
def test_load_takes_every_kind_of_source(make):
    doc = teikit.load(make())
    assert doc.text() == "Hi"
    assert [note.text for note in doc.notes] == ["a note"]


def test_load_takes_a_path_and_an_open_file_names_it(tmp_path):
    path = tmp_path / "one.xml"
    path.write_text(SMALL_TEI, encoding="utf-8")
    assert teikit.load(path).path == path
    assert teikit.load(str(path)).text() == "Hi"
    with open(path, "rb") as handle:
        assert teikit.load(handle).text() == "Hi"


def test_load_refuses_a_text_mode_file_and_other_types():
    with pytest.raises(TypeError, match=r"binary mode"):
        teikit.load(io.StringIO(SMALL_TEI))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"not int"):
        teikit.load(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("source, message", [
    ("<root/>", r"not a TEI document \(root <root>"),
    (b"<root xmlns='urn:x'/>", r"not a TEI document \(root <root> in namespace urn:x"),
    ("<TEI><unclosed></TEI>", r"not well-formed XML"),
])
def test_load_refuses_what_is_not_tei_with_an_input_error(source, message):
    with pytest.raises(teikit.InputError, match=message):
        teikit.load(source)


def test_load_of_a_missing_file_names_it(tmp_path):
    with pytest.raises(teikit.InputError, match=r"missing\.xml: cannot read"):
        teikit.load(tmp_path / "missing.xml")


# -- lookups and XPath --------------------------------------------------------------------

def test_lookups_raise_teikit_key_error_that_is_a_key_error():
    doc = teikit.load(TEI_FILE)
    with pytest.raises(teikit.TeikitKeyError, match=r"no note '999'") as caught:
        doc.note("999")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value).startswith(str(TEI_FILE))
    with pytest.raises(KeyError):
        doc.page("no-such-page")
    with pytest.raises(teikit.TeikitKeyError, match=r"no document 'd9999' in the corpus"):
        teikit.Corpus([doc])["d9999"]
    assert teikit.Corpus([doc]).get("d9999") is None


def test_xpath_without_prefix_that_finds_nothing_hints_at_tei_prefix():
    doc = teikit.load(SMALL_TEI)
    with pytest.warns(UserWarning, match=r"need the tei: prefix, as in '//tei:note\[@n\]'"):
        assert doc.xpath("//note[@n]") == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(doc.xpath("//tei:note")) == 1      # prefixed: no hint
        assert doc.xpath("//tei:list") == []          # prefixed, nothing found: no hint
        assert doc.xpath("count(//note)") == 0.0      # not a node-set: no hint


@pytest.mark.parametrize("module", ["teikit.errors", "teikit.ns", "teikit.converter", "teikit.query.document",
                                    "teikit.validation.diagnostics"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    found = importlib.import_module(module)
    result = doctest.testmod(found, extraglobs={"teikit": teikit}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
