"""--tei-all: the official tei_all RELAX NG, compiled once for this module (~10-20 s)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import teikit
from teikit.cli import cli
from teikit.validation.schemas import load_validator


@pytest.fixture(scope="module")
def tei_all_rng(tei_schemas):
    path = tei_schemas / "tei_all.rng"
    load_validator(path, label="tei_all")  # compiled once; later calls reuse it
    return path


def test_teikit_output_is_valid_tei_all(tei_all_rng, tei_dir, data):
    files = sorted(tei_dir.glob("*.xml")) + [data / "valid.xml"]
    report = teikit.validate(files, tei_all=tei_all_rng, refs="off", jobs=1)
    assert report.schemas == ["teikit.xsd", "tei_all"]
    assert report.ok, report.diagnostics


def test_invalid_tei_is_reported_by_tei_all_and_profile(tei_all_rng, data):
    report = teikit.validate(data / "unknown-element.xml", tei_all=tei_all_rng, jobs=1)
    by_rule = {d.rule: d for d in report.diagnostics}
    assert set(by_rule) == {"teikit.xsd", "tei_all"}
    assert by_rule["tei_all"].line == 14 and "bogus" in by_rule["tei_all"].message


def test_cli_tei_all_accepts_the_schema_folder(tei_all_rng, data):
    result = CliRunner().invoke(cli, ["validate", "--tei-all", str(tei_all_rng.parent), str(data / "valid.xml")])
    assert result.exit_code == 0, result.output
