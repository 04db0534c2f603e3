from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import bagit
import pytest

from teikit.errors import Diagnostic, InputError, OutputError
from teikit.export.bagit_package import make_tei_bag, verify_bag


@pytest.fixture
def schema(tmp_path):
    """A stand-in XSD that includes a second file (both must travel with the bag)."""
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "main.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:include schemaLocation="part.xsd"/></xs:schema>')
    (folder / "part.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')
    return folder / "main.xsd"


def test_bag_layout_info_and_checksums(small_corpus, schema, tmp_path, fake_validator):
    out = tmp_path / "bag"
    validator = fake_validator()
    result = make_tei_bag([small_corpus], out, schema=schema, organization="Test Org",
                          validator=validator)
    assert result.files == ["frus1955-57v01_d186.xml", "frus1955-57v01_d189.xml",
                            "frus1969-76ve13_d74.xml"]
    bag = bagit.Bag(str(out))
    assert bag.is_valid()
    payload = sorted(bag.payload_files())
    assert payload == sorted([f"data/tei/{n}" for n in result.files] + [
        "data/schema/main.xsd", "data/schema/part.xsd", "data/validation-report.json",
        "data/validation-report.txt"])
    for name in result.files:  # byte for byte
        assert (out / "data" / "tei" / name).read_bytes() == (small_corpus / name).read_bytes()
    info = bag.info
    assert info["Source-Organization"] == "Test Org"
    assert info["Teikit-Version"] == "0.1.0" and info["Teikit-Schema"] == "main.xsd"
    assert info["Teikit-Validation"] == "valid" and info["Bagging-Date"]
    assert str(small_corpus) in info["Teikit-Source"] and "External-Description" in info
    assert set(bag.algorithms) == {"sha256", "sha512"}
    report = json.loads((out / "data" / "validation-report.json").read_text())
    assert report["files"] == [f"data/tei/{n}" for n in result.files]  # paths as inside the bag
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_existing_bag_is_kept_without_force_and_replaced_with_it(small_corpus, schema, tmp_path, fake_validator):
    out = tmp_path / "bag"
    make_tei_bag([small_corpus], out, schema=schema, validator=fake_validator())
    before = (out / "bag-info.txt").read_bytes()
    with pytest.raises(OutputError, match="--force"):
        make_tei_bag([small_corpus / "frus1955-57v01_d186.xml"], out, schema=schema,
                     validator=fake_validator())
    assert (out / "bag-info.txt").read_bytes() == before
    make_tei_bag([small_corpus / "frus1955-57v01_d186.xml"], out, schema=schema, force=True,
                 validator=fake_validator())
    assert sorted(p.name for p in (out / "data" / "tei").iterdir()) == ["frus1955-57v01_d186.xml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bag", "in", "schema"]


def test_force_never_replaces_a_directory_that_is_not_a_bag(small_corpus, schema, tmp_path, fake_validator):
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputError, match="not a bag"):
        make_tei_bag([small_corpus], precious, schema=schema, force=True, validator=fake_validator())
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_inputs_are_checked_before_anything_is_written(tmp_path, schema, small_corpus, fake_validator):
    bad = tmp_path / "bad.xml"
    bad.write_text("<div>")
    with pytest.raises(InputError):
        make_tei_bag([bad], tmp_path / "bag", schema=schema, validator=fake_validator())
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(small_corpus / "frus1955-57v01_d186.xml", other)
    with pytest.raises(InputError, match="two inputs"):
        make_tei_bag([small_corpus, other], tmp_path / "bag", schema=schema, validator=fake_validator())
    assert not (tmp_path / "bag").exists()


def test_verify_detects_tampering_and_invalid_tei(small_corpus, schema, tmp_path, fake_validator):
    out = tmp_path / "bag"
    make_tei_bag([small_corpus], out, schema=schema, validator=fake_validator())
    checker = fake_validator()
    result = verify_bag(out, validator=checker)
    assert result.ok and result.files == 3
    assert [f.name for f in checker.calls[0][0]] == sorted(p.name for p in small_corpus.iterdir())
    assert checker.calls[0][1] == out / "data" / "schema" / "main.xsd"

    assert not verify_bag(out, validator=fake_validator(ok=False)).ok
    victim = out / "data" / "tei" / "frus1955-57v01_d186.xml"
    victim.write_bytes(victim.read_bytes().replace(b"Diem", b"Deim", 1))
    result = verify_bag(out, validator=fake_validator())
    assert not result.ok and not result.integrity
    assert any("frus1955-57v01_d186.xml" in p.file for p in result.problems)
    assert all(isinstance(p, Diagnostic) and p.severity == "error" for p in result.problems)
    assert {p.rule for p in result.problems} == {"bagit"}  # the bag's own checks, not the fake validator's


def test_verify_of_something_that_is_not_a_bag(tmp_path):
    with pytest.raises(InputError, match="not a BagIt bag"):  # bad input (exit 2), not a damaged bag (exit 1)
        verify_bag(tmp_path)
    with pytest.raises(InputError):
        verify_bag(tmp_path / "missing")


@pytest.mark.parametrize("tag_file", ["bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha512.txt"])
def test_verify_of_a_tag_file_not_in_its_declared_encoding(small_corpus, schema, tmp_path, fake_validator,
                                                           tag_file):
    """A latin-1 byte in a tag file ended `teikit verify` as 'internal error: UnicodeDecodeError'."""
    out = tmp_path / "bag"
    make_tei_bag([small_corpus], out, schema=schema, validator=fake_validator())
    with open(out / tag_file, "ab") as handle:
        handle.write(b"Contact-Name: Jos\xe9\n" if tag_file == "bag-info.txt" else b"00  data/caf\xe9.xml\n")
    with pytest.raises(InputError, match="not a BagIt bag: not UTF-8 text") as caught:
        verify_bag(out, validator=fake_validator())
    assert caught.value.path == str(out / tag_file)


VERIFY_SECONDS = 60  # opening a FIFO without a writer never returns: a hang is a failure


@pytest.mark.parametrize("where", ["extra", "instead of a file"])
def test_verify_of_a_bag_holding_a_fifo_reports_it_instead_of_waiting(small_corpus, schema, tmp_path,
                                                                      fake_validator, where):
    out = tmp_path / "bag"
    make_tei_bag([small_corpus], out, schema=schema, validator=fake_validator())
    fifo = out / "data" / "tei" / ("zz.xml" if where == "extra" else "frus1955-57v01_d186.xml")
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    try:
        run = subprocess.run([sys.executable, "-m", "teikit", "verify", str(out)], capture_output=True,
                             text=True, timeout=VERIFY_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"verify waited for a writer of the FIFO for {VERIFY_SECONDS} s")
    assert run.returncode == 1 and str(fifo) in run.stdout + run.stderr


def test_real_validation_and_bundled_schema(tei_dir, tmp_path):
    pytest.importorskip("teikit.validation")
    from teikit.export.bagit_package import bundled_schema
    schema = bundled_schema()
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("no converter output in tei/ yet")
    out = tmp_path / "bag"
    result = make_tei_bag(files, out)
    assert result.valid_tei
    assert (out / "data" / "schema" / schema.name).read_bytes() == schema.read_bytes()
    assert (out / "data" / "schema" / "xml.xsd").is_file()  # imported by teikit.xsd
    report = json.loads((out / "data" / "validation-report.json").read_text())
    assert report["ok"] is True
    assert report["files"] == [f"data/tei/{f.name}" for f in files]
    assert bagit.Bag(str(out)).info["Teikit-Validation"] == "valid"
    verified = verify_bag(out)
    assert verified.ok and verified.integrity and verified.valid_tei


def test_invalid_tei_is_archived_with_its_report_and_verify_says_invalid(small_corpus, tmp_path):
    pytest.importorskip("teikit.validation")
    bad = tmp_path / "bad"
    bad.mkdir()
    src = (small_corpus / "frus1955-57v01_d186.xml").read_text(encoding="utf-8")
    (bad / "frus1955-57v01_d186.xml").write_text(
        src.replace("<p>", "<p><madeUp>x</madeUp>", 1), encoding="utf-8")
    out = tmp_path / "bag"
    result = make_tei_bag([bad], out)
    assert not result.valid_tei
    assert bagit.Bag(str(out)).info["Teikit-Validation"] == "invalid"
    report = json.loads((out / "data" / "validation-report.json").read_text())
    assert report["ok"] is False
    assert any(d["file"] == "data/tei/frus1955-57v01_d186.xml" and d["severity"] == "error"
               for d in report["diagnostics"])
    verified = verify_bag(out)
    assert verified.integrity and not verified.valid_tei and not verified.ok
    assert any("madeUp" in p.message for p in verified.problems)
