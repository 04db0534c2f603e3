"""Progress: plain lines when stderr is not a terminal, nothing with --quiet, callbacks in the API."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import teikit
from teikit import progress as progress_module
from teikit.progress import MIN_ITEMS, Reporter

from ..conftest import SEEDS
from .helpers import teikit as run

TEI_FIXTURE = Path(__file__).resolve().parent.parent / "query" / "data" / "d59_pages.xml"
MANY = 24  # above MIN_ITEMS and the convert worker threshold, still quick


@pytest.fixture
def every_update(monkeypatch):
    """A progress line per update, so that a short test run shows them."""
    monkeypatch.setenv(progress_module.INTERVAL_VARIABLE, "0")


@pytest.fixture
def tei_folder(tmp_path) -> Path:
    folder = tmp_path / "tei"
    folder.mkdir()
    for i in range(MANY):
        shutil.copy(TEI_FIXTURE, folder / f"d{i}.xml")
    return folder


@pytest.fixture
def txt_folder(tmp_path) -> Path:
    folder = tmp_path / "txt"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(MANY):
        shutil.copy(seeds[i % len(seeds)], folder / f"s{i}.txt")
    return folder


def progress_lines(stderr: str, label: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"teikit: {label}: ")]


def test_reporter_writes_lines_and_a_last_one(every_update):
    stream = io.StringIO()
    with Reporter("reading", 10, stream=stream) as report:
        for _ in range(10):
            report(1)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("teikit: reading: 1/10 files (10%)")
    assert lines[-1].startswith("teikit: reading: 10/10 files (100%)")


def test_reporter_is_silent_for_quick_work_quiet_runs_and_few_items(monkeypatch):
    monkeypatch.delenv(progress_module.INTERVAL_VARIABLE, raising=False)
    for kwargs, total in (({}, 100), ({"quiet": True}, 100), ({}, MIN_ITEMS - 1)):
        stream = io.StringIO()
        with Reporter("reading", total, stream=stream, **kwargs) as report:
            report(total)
        assert stream.getvalue() == ""


@pytest.mark.parametrize("command", ["convert", "validate", "index", "export"])
def test_commands_print_progress_lines_when_not_a_terminal(command, every_update, tei_folder, txt_folder,
                                                           tmp_path):
    args, label = {
        "convert": (["convert", txt_folder, "-o", tmp_path / "out", "-j", "2"], "converting"),
        "validate": (["validate", tei_folder, "--no-config"], "validating"),
        "index": (["index", tei_folder, "-o", tmp_path / "i.sqlite"], "indexing"),
        "export": (["export", "-f", "json", tei_folder, "-o", tmp_path / "c.json"], "reading"),
    }[command]
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    lines = progress_lines(result.stderr, label)
    assert len(lines) >= 2
    assert lines[-1].startswith(f"teikit: {label}: {MANY}/{MANY} files (100%)")


@pytest.mark.parametrize("command", ["convert", "validate", "index", "export"])
def test_quiet_prints_nothing_on_success(command, every_update, tei_folder, txt_folder, tmp_path):
    args = {
        "convert": ["convert", txt_folder, "-o", tmp_path / "out"],
        "validate": ["validate", tei_folder, "--no-config", "--no-integrity", "-o", tmp_path / "r.txt"],
        "index": ["index", tei_folder, "-o", tmp_path / "i.sqlite"],
        "export": ["export", "-f", "json", tei_folder, "-o", tmp_path / "c.json"],
    }[command]
    result = run(*args, "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_quiet_still_prints_errors(every_update, txt_folder, tmp_path):
    (txt_folder / "empty.txt").write_bytes(b"")
    result = run("convert", txt_folder, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all("empty.txt" in line for line in lines)  # no progress, warning or summary


def test_python_api_progress_callbacks(tei_folder, tmp_path):
    from teikit.export import read_inputs
    from teikit.query.index import build_index

    counts: dict[str, int] = {}

    def counter(name):
        def add(n: int) -> None:
            counts[name] = counts.get(name, 0) + n
        return add

    teikit.Corpus(tei_folder, progress=counter("corpus"))
    teikit.validate([tei_folder], integrity=False, progress=counter("validate"))
    build_index([tei_folder], tmp_path / "i.sqlite", jobs=1, progress=counter("index"))
    read_inputs([tei_folder], progress=counter("export"))
    assert counts == {"corpus": MANY, "validate": MANY, "index": MANY, "export": MANY}
