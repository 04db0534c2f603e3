"""Config file: found by walking up, relative paths, unknown keys refused, CLI wins."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from teikit.cli import cli
from teikit.config import find_config
from teikit.errors import InputError
from teikit.validation.settings import from_config

DANGLING = """<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="5" xml:id="d5">
<head>5. Memo<note n="1" xml:id="d5fn1" type="source">Source.</note></head>
<p>See <ref target="#d4">Document 4</ref>.</p></div>"""


def project(tmp_path, toml: str, name="teikit.toml"):
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "d5.xml").write_text(DANGLING)
    (tmp_path / name).write_text(toml)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    return tmp_path


def run_in(folder, monkeypatch, *args):
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["validate", *args])
    assert "Traceback" not in result.output
    return result


def test_config_is_found_walking_up_and_paths_are_relative_to_it(tmp_path):
    root = project(tmp_path, '[validate]\npaths = ["tei"]\nrefs = "error"\n')
    settings = from_config(find_config(root / "sub" / "deeper"))
    assert settings.paths == [str(root / "tei")] and settings.refs == "error"


def test_pyproject_table(tmp_path):
    root = project(tmp_path, '[project]\nname = "x"\n[tool.teikit.validate]\nprofile = "frus"\n',
                   name="pyproject.toml")
    assert from_config(find_config(root)).profile == "frus"


def test_pyproject_without_teikit_table_is_passed_over(tmp_path):
    (tmp_path / "teikit.toml").write_text('[validate]\nrefs = "off"\n')
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert from_config(find_config(tmp_path / "inner")).refs == "off"


@pytest.mark.parametrize("toml, message", [
    ('[validate]\nrefz = "error"\n', "unknown key(s) in [validate]: refz"),
    ('[validate]\nrefs = "fatal"\n', "refs must be error | warning | off"),
    ('[validate]\nschemas = "a.rng"\n', "schemas must be a list of strings"),
    ('[validate\n', "not valid TOML"),
])
def test_bad_config_is_a_clear_error(tmp_path, toml, message):
    (tmp_path / "teikit.toml").write_text(toml)
    with pytest.raises(InputError, match=r"teikit\.toml") as caught:
        from_config(find_config(tmp_path))
    assert message in caught.value.message


def test_validate_with_no_flags_uses_the_config(tmp_path, monkeypatch):
    root = project(tmp_path, '[validate]\npaths = ["tei"]\nrefs = "error"\n')
    result = run_in(root / "sub", monkeypatch)
    assert result.exit_code == 1 and "target '#d4' does not resolve" in result.output
    root.joinpath("teikit.toml").write_text('[validate]\npaths = ["tei"]\nrefs = "error"\nid-patterns = ["d\\\\d+"]\n')
    assert run_in(root / "sub", monkeypatch).exit_code == 0
    assert run_in(root, monkeypatch, "--no-config", "--refs", "error", "tei").exit_code == 1


def test_command_line_wins(tmp_path, monkeypatch):
    root = project(tmp_path, '[validate]\npaths = ["tei"]\nrefs = "error"\n')
    assert run_in(root, monkeypatch, "--refs", "warning").exit_code == 0


def test_bad_config_exits_2(tmp_path, monkeypatch):
    root = project(tmp_path, '[validate]\nprofile = "tei"\n')
    result = run_in(root, monkeypatch, "tei")
    assert result.exit_code == 2 and "teikit.toml: [validate] profile must be" in result.output


def test_no_paths_and_none_configured_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / "teikit.toml").write_text("[validate]\n")
    result = run_in(tmp_path, monkeypatch)
    assert result.exit_code == 2 and "no PATHS given" in result.output


def test_the_repositorys_own_ci_recipe_passes(monkeypatch):
    from tests.conftest import ROOT

    assert run_in(ROOT, monkeypatch, "--format", "github", "--refs", "error", "tei/").exit_code == 0
    assert run_in(ROOT, monkeypatch).exit_code == 0  # pre-commit / CI with no flags: the config
