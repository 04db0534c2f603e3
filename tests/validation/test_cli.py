"""``teikit validate``: exit codes, output formats, errors without tracebacks."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from teikit.cli import cli


def run(*args, env=None):
    """The command as a user without a config file runs it (this repository has one)."""
    result = CliRunner().invoke(cli, ["validate", "--no-config", *map(str, args)], env=env)
    assert "Traceback" not in result.output
    return result


def test_valid_file_exits_0(data):
    result = run(data / "valid.xml")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "valid: 1 file checked: 0 errors, 0 warnings"


def test_invalid_file_exits_1_with_file_line_message(data):
    result = run(data / "note-sequence.xml")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"{data / 'note-sequence.xml'}:14: error: note n=\"4\" after n=\"2\"")
    assert result.output.splitlines()[-1].startswith("INVALID: 1 file checked, 1 invalid: 1 error")


def test_warnings_do_not_fail(tmp_path, data):
    text = (data / "pb-order.xml").read_text().replace('<pb n="11" xml:id="pg_11"/>', "")
    (tmp_path / "gap.xml").write_text(text)
    result = run(tmp_path / "gap.xml")
    assert result.exit_code == 0, result.output
    assert 'warning: pb n="14" after pb n="12": page 13 is missing' in result.output


def test_missing_file_exits_2(tmp_path):
    result = run(tmp_path / "nope.xml")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_bad_schema_exits_2(data, tmp_path):
    (tmp_path / "bad.xsd").write_text("<root/>")
    result = run("--schema", tmp_path / "bad.xsd", data / "valid.xml")
    assert result.exit_code == 2 and "not a usable XML Schema" in result.output


def test_no_paths_is_a_usage_error():
    assert run().exit_code == 2


def test_json_format(data):
    result = run("--format", "json", "--refs", "error", data / "valid.xml", data / "dangling-ref.xml")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False and payload["summary"]["invalid_files"] == 1
    diag = payload["diagnostics"][0]
    assert set(diag) == {"file", "line", "column", "severity", "rule", "message", "path"}
    assert diag["rule"] == "ref-target" and diag["line"] == 14


def test_junit_format(data):
    result = run("--format", "junit", data / "valid.xml", data / "unknown-element.xml")
    root = etree.fromstring(result.output.encode())
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == [str(data / "valid.xml"), str(data / "unknown-element.xml")]
    assert cases[0].find("failure") is None
    assert "bogus" in cases[1].find("failure").get("message")
    assert root.get("failures") == "1"


def test_github_format_and_step_summary(data, tmp_path):
    summary = tmp_path / "summary.md"
    result = run("--format", "github", "--refs", "error", data / "dangling-ref.xml", env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = result.output.splitlines()
    assert lines[0].startswith(f"::error file={data / 'dangling-ref.xml'},line=14,title=ref-target::target '#d5fn9'")
    assert "::group::All diagnostics" in lines and "::endgroup::" in lines
    assert lines[-1].startswith("INVALID:")
    assert "| ref-target |" in summary.read_text()


def test_github_escapes_newlines_and_commas():
    from teikit.validation import Diagnostic
    from teikit.validation.reporters import github_annotation

    line = github_annotation(Diagnostic("a,b.xml", 3, 4, "warning", "r:x", "two\nlines 100%", None))
    assert line == "::warning file=a%2Cb.xml,line=3,col=4,title=r%3Ax::two%0Alines 100%25"


SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"  # OASIS, SARIF 2.1.0 errata 01


def test_sarif_format_is_valid_sarif_with_every_diagnostic(data):
    import jsonschema

    result = run("--format", "sarif", "--refs", "error", data / "valid.xml", data / "dangling-ref.xml",
                 data / "unknown-element.xml")
    assert result.exit_code == 1
    log = json.loads(result.output)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(log)
    run_ = log["runs"][0]
    rules = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    results = run_["results"]
    assert {r["ruleId"] for r in results} == set(rules) and "ref-target" in rules
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    ref = next(r for r in results if r["ruleId"] == "ref-target")
    assert ref["level"] == "error" and "#d5fn9" in ref["message"]["text"]
    where = ref["locations"][0]
    assert where["physicalLocation"]["artifactLocation"]["uri"] == (data / "dangling-ref.xml").as_uri()
    assert where["physicalLocation"]["region"]["startLine"] == 14
    assert where["logicalLocations"][0]["fullyQualifiedName"].startswith("/TEI/")


def test_sarif_file_uris_are_relative_and_escaped():
    from teikit.validation import Diagnostic, Report
    from teikit.validation.reporters import render_sarif

    report = Report(files=["tei/a b#1.xml"], diagnostics=[
        Diagnostic("tei/a b#1.xml", None, None, "warning", "no-schema", "no schema checks this file")])
    result = json.loads(render_sarif(report))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "tei/a%20b%231.xml"}}
    assert result["level"] == "warning"


def test_output_file(data, tmp_path):
    result = run("-f", "json", "-o", tmp_path / "r.json", data / "valid.xml")
    assert result.exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text())["ok"] is True


def test_folder_and_options(data, tmp_path):
    shutil.copy(data / "valid.xml", tmp_path)
    text = (data / "dangling-ref.xml").read_text("utf-8")
    # a reference to a document that is not among the files checked
    (tmp_path / "other-doc.xml").write_text(text.replace("#d5fn9", "#d60"), "utf-8")
    assert run("--refs", "error", tmp_path).exit_code == 1
    assert run(tmp_path).exit_code == 0  # references out of the files checked: warnings by default
    assert run("--refs", "error", "--no-integrity", tmp_path).exit_code == 0
    assert run("--refs", "error", "-j", "2", tmp_path).exit_code == 1


def test_unreadable_file_exits_2(tmp_path):
    import os

    path = tmp_path / "secret.xml"
    path.write_text("<div/>")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root
            return
        assert run(path).exit_code == 2
    finally:
        path.chmod(0o644)


def test_readme_validate_example_runs(monkeypatch, capsys):
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text("utf-8")
    if "<!-- validate:start -->" not in readme:
        return
    section = readme.split("<!-- validate:start -->", 1)[1].split("<!-- validate:end -->", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    monkeypatch.chdir(root)
    exec(compile(code, "README.md", "exec"), {})
    assert "<testsuites" in capsys.readouterr().out


def test_repeated_problems_are_grouped_in_text_output(tmp_path):
    notes = "".join(f'<note n="{i}" xml:id="d1fn{i}">x</note>' for i in (1, *range(3, 60)))
    (tmp_path / "d1.xml").write_text(
        f'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1"><p>{notes}'
        + "".join(f'<ref target="#nowhere{i}">x</ref>' for i in range(10)) + "</p></div>")
    result = run("--profile", "frus", "--refs", "error", tmp_path / "d1.xml")
    lines = result.output.splitlines()
    assert sum("note-sequence" in line for line in lines) == 1  # one gap, then in step again
    assert sum("[ref-target] at" in line for line in lines) == 3
    assert "  … and 7 more like this [ref-target] (--all lists them, --format json has them all)" in lines
    everything = run("--all", "--profile", "frus", "--refs", "error", tmp_path / "d1.xml").output
    assert sum("[ref-target] at" in line for line in everything.splitlines()) == 10


def test_the_command_offers_every_report_format():
    """The CLI lists its formats itself (importing the reporters costs `teikit --help` lxml)."""
    from teikit.cli.validate import validate_command
    from teikit.validation.reporters import FORMATS

    option = next(p for p in validate_command.params if p.name == "fmt")
    assert tuple(option.type.choices) == FORMATS
