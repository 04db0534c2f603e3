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
    assert report.schemas == ["tei_all"]
    assert report.ok, report.diagnostics


def test_tei_all_alone_is_exactly_tei_all(tei_all_rng, data):
    report = teikit.validate(data / "unknown-element.xml", tei_all=tei_all_rng, jobs=1)
    (diag,) = report.diagnostics
    assert diag.rule == "tei_all" and diag.line == 14 and "bogus" in diag.message


def test_tei_all_with_the_frus_profile(tei_all_rng, data):
    report = teikit.validate(data / "unknown-element.xml", tei_all=tei_all_rng, profile="frus", jobs=1)
    by_rule = {d.rule: d for d in report.diagnostics}
    assert set(by_rule) == {"teikit.xsd", "tei_all"}
    assert report.schemas == ["tei_all", "teikit.xsd (profile frus)"]


def test_cli_tei_all_accepts_the_schema_folder(tei_all_rng, data):
    result = CliRunner().invoke(cli, ["validate", "--tei-all", str(tei_all_rng.parent), str(data / "valid.xml")])
    assert result.exit_code == 0, result.output
