"""The same flags, help shape and messages in every command; `teikit --help` imports no command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from click.testing import CliRunner

from teikit.cli import COMMANDS, SUMMARIES, LazyGroup, cli, static_help

from .helpers import teikit as run

TEI_FIXTURE = Path(__file__).resolve().parent.parent / "query" / "data" / "d59_pages.xml"
COMMAND_NAMES = sorted(COMMANDS)


def command(name: str) -> click.Command:
    found = LazyGroup.get_command(cli, click.Context(cli), name)
    if found is None:
        pytest.skip(f"{name} is not available here")
    return found


def options(name: str) -> dict[str, click.Option]:
    """Every spelling of every option of a command -> the option."""
    return {spelling: param for param in command(name).params if isinstance(param, click.Option)
            for spelling in (*param.opts, *param.secondary_opts)}


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_has_quiet_verbose_and_help_examples(name):
    spelled = options(name)
    assert spelled["-q"].name == "quiet" and spelled["-v"].name == "verbose"
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    text = result.output.split("\n", 1)[1]  # after the usage line, where "PATH..." is click's
    assert "…" not in text and "..." not in text  # nothing cut short


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_short_flags_mean_the_same_everywhere(name):
    meanings = {"-f": "--format", "-o": "--output", "-j": "--jobs", "-q": "--quiet", "-v": "--verbose",
                "-d": "--document", "-n": "--limit", "-s": "--schema", "-t": "--title", "-i": "--index",
                "-p": "--page", "-x": "--xpath", "-c": "--convention", "-l": "--layout"}
    spelled = options(name)
    for short, long in meanings.items():
        if short in spelled:
            assert long in spelled[short].opts, f"{name}: {short} is not {long}"
    if "--force" in spelled:
        assert spelled["--force"].opts == ["--force"], f"{name}: --force has a short form"


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_command_list_summary_matches_the_command(name):
    assert SUMMARIES[name] == command(name).help.split("\n\n")[0].strip()


def test_group_help_imports_no_command_module():
    code = ("import sys; from teikit.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('teikit.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    for module in ("convert", "validate", "query", "export", "serve"):
        assert f"teikit.cli.{module}'" not in loaded


@pytest.mark.parametrize("width", [80, 100, 200])
def test_static_group_help_is_what_click_prints(width):
    result = CliRunner().invoke(cli, ["--help"], prog_name="teikit", terminal_width=width)
    assert result.output == static_help()


def test_group_help_does_not_import_click():
    code = ("import sys; from teikit.cli import main; main(['--help']); "
            "print('click' in sys.modules)")
    env = {**os.environ, "COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env).stdout
    assert out.startswith("Usage: teikit") and out.strip().endswith("False")


def test_errors_are_one_line_in_one_of_two_shapes(tmp_path):
    missing = run("notes", tmp_path / "missing.xml")
    assert missing.exit_code == 2
    assert missing.stderr == f"{tmp_path / 'missing.xml'}: no such file or folder\n"
    no_doc = run("notes", TEI_FIXTURE, "-d", "d999")
    assert no_doc.exit_code == 2
    assert no_doc.stderr == "teikit: error: no document 'd999' in the corpus\n"
    both = run("notes", TEI_FIXTURE, "-q", "-v")
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_convert_force_is_long_only(tmp_path):
    seed = tmp_path / "a.txt"
    seed.write_text("Hello.\n")
    result = run("convert", seed, "-o", tmp_path / "out.xml", "-f")
    assert result.exit_code == 2  # -f is --format, which convert does not have


@pytest.mark.parametrize("args", [
    ["notes", "{dir}"], ["pages", "{dir}"], ["query", "{dir}", "-x", "//tei:note"],
    ["search", "Kissinger", "{dir}"], ["index", "{dir}", "-o", "{tmp}/i.sqlite"],
])
def test_dangling_links_are_reported_skipped_and_exit_1(args, tmp_path):
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "a.xml").write_bytes(TEI_FIXTURE.read_bytes())
    os.symlink(tmp_path / "gone.xml", folder / "b.xml")
    result = run(*[a.format(dir=folder, tmp=tmp_path) for a in args])
    assert result.exit_code == 1, result.output
    assert f"{folder / 'b.xml'}: cannot read: No such file or directory (skipped)" in result.stderr
    assert "Traceback" not in result.output
    if args[0] != "index":
        assert result.stdout.strip()  # the readable file's results are all there


def test_what_convert_writes_in_sub_folders_every_command_reads(tmp_path):
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[:2]
    for folder, seed in zip(("a", "b/c"), seeds):
        (tmp_path / "src" / folder).mkdir(parents=True)
        (tmp_path / "src" / folder / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    assert run("convert", tmp_path / "src", "-o", out, "-q").exit_code == 0
    written = sorted(str(p) for p in out.rglob("*.xml"))
    assert len(written) == 2 and all(Path(p).parent != out for p in written)  # both in sub-folders
    pages = run("pages", out, "-f", "json")
    assert sorted({row["file"] for row in json.loads(pages.output)}) == written
    assert "in 2 file(s)" in run("index", out, "-o", tmp_path / "i.sqlite").output
    assert run("export", "-f", "json", out, "-o", tmp_path / "e.json").exit_code == 0
    assert len(json.loads((tmp_path / "e.json").read_text("utf-8"))["documents"]) >= 2
    assert "2 files checked" in run("validate", out).output
