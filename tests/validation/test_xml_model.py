"""``<?xml-model?>``: each file checked against the schemas it names (``--xml-model``)."""
from __future__ import annotations

import importlib.util
import os
import shutil

import pytest
from click.testing import CliRunner

import teikit
from teikit.cli import cli
from teikit.errors import InputError
from teikit.validation.xml_model import XmlModelPolicy, declared, resolve
from teikit.xmlio import safe_parser

from tests.conftest import SHARED

RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
TEI_ALL_URL = "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
HAS_SAXON = importlib.util.find_spec("saxonche") is not None

#: a TEI root with one <p>, and a rule embedded in the grammar: a <p> must not be empty
SMALL_RNG = f"""<grammar xmlns="{RNG}" xmlns:sch="{SCH}" ns="http://www.tei-c.org/ns/1.0">
  <start><element name="TEI"><oneOrMore><element name="p">
    <sch:pattern><sch:rule context="*[local-name()='p']">
      <sch:assert test="normalize-space(.)">an empty paragraph</sch:assert>
    </sch:rule></sch:pattern>
    <text/></element></oneOrMore></element></start>
</grammar>"""


def tei_file(folder, body, *models, name="a.xml"):
    """A file naming ``models`` ((href, schematypens) pairs) before its root."""
    pis = "".join(f'<?xml-model href="{href}" type="application/xml"'
                  + (f' schematypens="{ns}"' if ns else "") + "?>\n" for href, ns in models)
    path = folder / name
    path.write_text(f'<?xml version="1.0"?>\n{pis}<TEI xmlns="http://www.tei-c.org/ns/1.0">{body}</TEI>\n')
    return path


@pytest.fixture
def project(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "small.rng").write_text(SMALL_RNG)
    (tmp_path / "tei").mkdir()
    return tmp_path


def check(path, **options):
    return teikit.validate(path, profile="none", jobs=1, integrity=False, **options)


def test_a_local_schema_named_by_the_file_checks_it(project):
    good = tei_file(project / "tei", "<p>text</p>", ("../schema/small.rng", RNG), name="good.xml")
    bad = tei_file(project / "tei", "<p>text</p><q/>", ("../schema/small.rng", RNG), name="bad.xml")
    assert check(good, xml_model=True).ok
    report = check(bad, xml_model=True)
    (error,) = report.errors
    assert error.rule == "small.rng" and error.line == 3
    assert check(bad).ok  # without xml_model the instruction is not used


def test_embedded_schematron_rules_are_checked(project):
    file = tei_file(project / "tei", "<p> </p>", ("../schema/small.rng", RNG), ("../schema/small.rng", SCH))
    messages = sorted((d.rule, d.message) for d in check(file, xml_model=True).errors)
    assert messages == [("small.rng (embedded Schematron)#normalize-space(.)", "an empty paragraph")]


def test_a_url_is_never_fetched_and_the_error_says_how_to_map_it(project):
    file = tei_file(project / "tei", "<p>x</p>", ("https://example.org/edition.rng", RNG))
    (error,) = check(file, xml_model=True).errors
    assert error.rule == "xml-model" and error.line == 2
    assert "never uses the network" in error.message and "--schema-map" in error.message
    mapped = check(file, xml_model=True,
                   schema_map={"https://example.org/edition.rng": project / "schema" / "small.rng"})
    assert mapped.ok and mapped.diagnostics == []


@pytest.mark.skipif(not (SHARED / "tei-schemas" / "tei_all.rng").exists(), reason="../shared absent")
def test_a_tei_release_url_means_the_given_tei_all_once(project):
    file = tei_file(project / "tei", "<teiHeader/><text><body><p>x<foo/></p></body></text>", (TEI_ALL_URL, RNG))
    report = teikit.validate(file, tei_all=SHARED / "tei-schemas", xml_model=True, integrity=False, jobs=1)
    assert [d.rule for d in report.errors].count("tei_all") >= 1
    assert not any(d.rule == "xml-model" for d in report.diagnostics)
    assert not any(d.rule == "tei_all.rng" for d in report.diagnostics)  # not checked a second time


@pytest.mark.skipif(HAS_SAXON, reason="the xslt2 extra is installed")
def test_xpath2_embedded_rules_without_the_extra_are_a_warning(project):
    (project / "schema" / "xp2.rng").write_text(SMALL_RNG.replace("normalize-space(.)", "string-length(.) gt 0"))
    file = tei_file(project / "tei", "<p>x</p>", ("../schema/xp2.rng", SCH))
    report = check(file, xml_model=True)
    (warning,) = report.warnings
    assert report.ok and warning.rule == "xml-model" and "teikit[xslt2]" in warning.message


@pytest.mark.parametrize("href, ns, expected", [
    ("missing.rng", RNG, "cannot be used"),
    ("../schema/small.rng", "http://example.org/unknown-schema-language", "cannot tell its language"),
    ("notes.txt", None, "cannot tell its language"),
])
def test_unusable_associations_are_errors_of_the_file(project, href, ns, expected):
    file = tei_file(project / "tei", "<p>x</p>", (href, ns))
    (error,) = check(file, xml_model=True).errors
    assert error.rule == "xml-model" and expected in error.message and error.line == 2


@pytest.mark.parametrize("href", ["/dev/zero", "file:///dev/zero", "fifo.rng", "../schema"])
def test_hostile_hrefs_are_refused_at_once(project, href):
    os.mkfifo(project / "tei" / "fifo.rng")
    file = tei_file(project / "tei", "<p>x</p>", (href, RNG))
    (error,) = check(file, xml_model=True).errors
    assert error.rule == "xml-model" and ("not a regular file" in error.message or "not found" in error.message)


def test_the_no_schema_warning_points_at_the_files_own_schemas(project):
    file = tei_file(project / "tei", "<p>x</p>", ("../schema/small.rng", RNG))
    (warning,) = teikit.validate(file, jobs=1).warnings
    assert warning.rule == "no-schema" and "--xml-model" in warning.message


def test_parallel_run_gives_the_same_report(project):
    for i in range(60):
        tei_file(project / "tei", "<p>x</p>" if i % 7 else "<p>x</p><q/>",
                 ("../schema/small.rng", RNG), ("https://example.org/x.sch", SCH), name=f"f{i:02}.xml")
    one = check(project / "tei", xml_model=True)
    two = teikit.validate(project / "tei", profile="none", jobs=2, integrity=False, xml_model=True)
    assert one.diagnostics == two.diagnostics
    assert len(one.errors) == 60 + 9  # every file: the unmapped URL; every seventh: an element


def test_cli_and_config(project, monkeypatch):
    tei_file(project / "tei", "<p>x</p><q/>", ("https://example.org/edition.rng", RNG))
    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "--no-config", "--profile", "none", "--xml-model",
                                 "--schema-map", "https://example.org/edition.rng=schema/small.rng", "tei"])
    assert result.exit_code == 1 and "[small.rng]" in result.output, result.output
    result = runner.invoke(cli, ["validate", "--no-config", "--xml-model", "--schema-map", "nothing", "tei"])
    assert result.exit_code == 2 and "URL=PATH" in result.output
    (project / "teikit.toml").write_text('[validate]\nprofile = "none"\nxml-model = true\n'
                                         'schema-map = {"https://example.org/edition.rng" = "schema/small.rng"}\n')
    result = runner.invoke(cli, ["validate", "tei"])
    assert result.exit_code == 1 and "[small.rng]" in result.output, result.output
    result = runner.invoke(cli, ["validate", "--no-xml-model", "tei"])
    assert result.exit_code == 0, result.output


def test_a_wrong_schema_map_in_the_config_is_refused(project):
    from teikit.config import find_config
    from teikit.validation.settings import from_config

    (project / "teikit.toml").write_text('[validate]\nschema-map = ["a"]\n')
    with pytest.raises(InputError, match="schema-map"):
        from_config(find_config(project))


def test_an_instruction_without_a_readable_href_is_reported(project):
    path = project / "tei" / "a.xml"
    path.write_text('<?xml-model href=unquoted.rng?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>x</p></TEI>')
    (error,) = check(path, xml_model=True).errors
    assert error.rule == "xml-model" and error.line == 1 and "href" in error.message


def test_only_instructions_before_the_root_count(tmp_path):
    from lxml import etree

    path = tmp_path / "a.xml"
    path.write_text('<?xml-model href="a.rng"?><?other href="b.rng"?><TEI><?xml-model href="c.rng"?></TEI>')
    tree = etree.parse(str(path), safe_parser())
    assert [a.href for a in declared(tree)] == ["a.rng"]


def test_resolve():
    policy = XmlModelPolicy(True, (("https://x.org/s.rng", "/local/s.rng"),), "/schemas/tei_all.rng")
    assert resolve("s.rng", "tei/a.xml", policy) == ("tei/s.rng", None)
    assert resolve("file:///srv/my%20schema.rng", "a.xml", policy) == ("/srv/my schema.rng", None)
    assert resolve("https://x.org/s.rng", "a.xml", policy) == ("/local/s.rng", None)
    assert resolve("http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng", "a.xml",
                   policy) == ("/schemas/tei_all.rng", None)
    path, why = resolve("http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rng", "a.xml", policy)
    assert path is None and "never uses the network" in why


@pytest.mark.skipif(not (SHARED / "tei-samples").exists(), reason="../shared absent")
def test_real_tei_samples_name_their_schemas(tmp_path):
    """The TEI Consortium's test files name tei_lite/tei_odds by URL: with no map, each is told how to map it."""
    samples = sorted(p for p in (SHARED / "tei-samples").rglob("*.xml") if b"<?xml-model" in p.read_bytes()[:2000])
    assert samples
    for sample in samples[:3]:
        shutil.copy(sample, tmp_path / sample.name)
    report = check(tmp_path, xml_model=True)
    assert {d.file for d in report.diagnostics if d.rule == "xml-model"} == {str(tmp_path / s.name)
                                                                              for s in samples[:3]}
