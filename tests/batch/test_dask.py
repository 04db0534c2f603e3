"""The batch jobs on a Dask cluster give the local run's results (issue 14).

One ``distributed.LocalCluster`` (2 worker processes, loopback, no dashboard) serves
the module; every job runs the dev corpus, plus one file that cannot be read, both
ways through the command line, and the outputs are compared.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit.cli import cli
from teikit.export.inputs import read_inputs
from teikit.export.json_export import render_json
from teikit.query.index import search_index

distributed = pytest.importorskip("distributed")

from teikit import batch  # noqa: E402  (after the skip: the jobs need distributed)

QUERIES = ["Secretary", '"Prime Minister"', "Saigon", "telegram Department"]
WORKER_RESTART_SECONDS = 180  # the nanny restarts a killed worker in seconds; a loaded CI machine is slow
COPIES = 3   # the dev corpus thrice (60 files, 8 batches): a run long enough to kill a worker in


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus(dev_corpus: Path, tmp_path_factory) -> Path:
    """The dev corpus (.txt and .xml) and a bad file of each kind: broken XML, text that is not UTF-8."""
    root = tmp_path_factory.mktemp("corpus")
    for file in dev_corpus.iterdir():
        if file.suffix in (".txt", ".xml"):
            shutil.copy(file, root / file.name)
    (root / "frus1955-57v01_d999.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>\n<p>open")
    (root / "frus1955-57v01_d999.txt").write_bytes(b"The Secretary \xff\xfe wrote\n")
    return root


PROGRESS_LINE = re.compile(r"teikit: \w+: \d+/\d+ ")


def _run(*args: str, scheduler: str | None = None):
    env = {"TEIKIT_SCHEDULER": scheduler} if scheduler else {}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, _without_progress(result.stderr)


def _without_progress(stderr: str) -> str:
    """Progress lines depend on how long a run takes (the first comes after a few seconds), not on its result."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not PROGRESS_LINE.match(line))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_convert_same_bytes_and_messages(corpus: Path, client, tmp_path: Path) -> None:
    local = _run("convert", str(corpus), "-o", str(tmp_path / "local"), "-j", "2")
    dask = _run("convert", str(corpus), "-o", str(tmp_path / "dask"), "--scheduler", client.scheduler.address)
    assert local == dask
    assert local[0] == 1 and "frus1955-57v01_d999.txt" in local[2]   # the bad file failed, reported
    written = _files(tmp_path / "dask")
    assert written == _files(tmp_path / "local") and len(written) == 20


def test_convert_progress_from_the_futures(corpus: Path, client, tmp_path: Path) -> None:
    env = {"TEIKIT_PROGRESS_SECONDS": "0"}  # a line per batch back
    result = CliRunner().invoke(cli, ["convert", str(corpus), "-o", str(tmp_path / "out"), "--scheduler",
                                      client.scheduler.address], env=env, catch_exceptions=False)
    lines = [line for line in result.stderr.splitlines() if PROGRESS_LINE.match(line)]
    assert len(lines) > 1 and lines[-1].startswith("teikit: converting: 21/21 files (100%)")


def test_validate_same_report(corpus: Path, client) -> None:
    local = _run("validate", str(corpus), "--no-config", "-f", "json", "-j", "2")
    dask = _run("validate", str(corpus), "--no-config", "-f", "json", scheduler=client.scheduler.address)
    assert local == dask
    assert local[0] == 1 and "frus1955-57v01_d999.xml" in local[1]


def test_validate_xml_model_same_report(client, tmp_path: Path) -> None:
    """Schemas the files name themselves: found, compiled and reported by the workers as locally."""
    (tmp_path / "small.rng").write_text(
        '<element name="TEI" ns="http://www.tei-c.org/ns/1.0" xmlns="http://relaxng.org/ns/structure/1.0">'
        '<oneOrMore><element name="p"><text/></element></oneOrMore></element>')
    for i in range(12):
        href = "https://example.org/unmapped.rng" if i == 5 else "small.rng"
        body = "<p>x</p><q/>" if i % 4 == 0 else "<p>x</p>"
        (tmp_path / f"f{i:02}.xml").write_text(f'<?xml-model href="{href}"?>\n'
                                               f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{body}</TEI>')
    args = ("validate", str(tmp_path), "--no-config", "--profile", "none", "--xml-model", "-f", "json")
    local = _run(*args, "-j", "2")
    assert local == _run(*args, scheduler=client.scheduler.address)
    assert local[0] == 1 and local[1].count('"rule": "small.rng"') == 3 and "unmapped.rng" in local[1]


def test_index_same_hits(corpus: Path, client, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    for file in corpus.glob("*.xml"):
        if "d999" not in file.name:
            shutil.copy(file, good / file.name)
    assert _run("index", str(good), "-o", str(tmp_path / "local.sqlite"), "-j", "2")[0] == 0
    code, _, err = _run("index", str(good), "-o", str(tmp_path / "dask.sqlite"),
                        "--scheduler", client.scheduler.address)
    assert code == 0 and "20 file(s)" in err  # the summary goes to stderr, as every message
    for query in QUERIES:
        hits = search_index(tmp_path / "local.sqlite", query)
        assert hits and hits == search_index(tmp_path / "dask.sqlite", query)


def test_index_bad_file_fails_like_local(corpus: Path, client, tmp_path: Path) -> None:
    local = _run("index", str(corpus), "-o", str(tmp_path / "local.sqlite"), "-j", "2")
    dask = _run("index", str(corpus), "-o", str(tmp_path / "dask.sqlite"), "--scheduler", client.scheduler.address)
    assert local == dask and local[0] == 2 and "frus1955-57v01_d999.xml:" in local[2]
    assert not list(tmp_path.iterdir())  # nothing written, no temporary left


def test_export_json_same_bytes(corpus: Path, client, tmp_path: Path) -> None:
    args = ["export", "--format", "json", str(corpus), "--skip-invalid"]
    local = _run(*args, "-o", str(tmp_path / "local.json"))
    dask = _run(*args, "-o", str(tmp_path / "dask.json"), "--scheduler", client.scheduler.address)
    assert local == dask and local[0] == 1 and "d999.xml" in local[2] and "(skipped)" in local[2]
    whole = render_json(read_inputs([corpus], skip_invalid=True)[0]).encode()  # the document in memory
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "local.json").read_bytes() == whole


def test_export_bad_file_writes_nothing(corpus: Path, client, tmp_path: Path) -> None:
    code, _, err = _run("export", "--format", "json", str(corpus), "-o", str(tmp_path / "out.json"),
                        "--scheduler", client.scheduler.address)
    assert code == 2 and "frus1955-57v01_d999.xml:" in err and not list(tmp_path.iterdir())


def test_scheduler_only_for_json_export(corpus: Path, client, tmp_path: Path) -> None:
    code, _, err = _run("export", "--format", "html", str(corpus), "-o", str(tmp_path / "out.html"),
                        "--scheduler", client.scheduler.address)
    assert (code, err) == (2, "teikit export: --scheduler exports --format json only\n")
    good = str(corpus / "frus1955-57v01_d185.xml")  # $TEIKIT_SCHEDULER: other formats run here
    code, _, _ = _run("export", "--format", "html", good, "-o", str(tmp_path / "out.html"),
                      scheduler=client.scheduler.address)
    assert code == 0 and (tmp_path / "out.html").is_file()


def test_worker_killed_during_run(dev_corpus: Path, client, tmp_path: Path) -> None:
    sources = {}
    for copy in range(COPIES):
        (tmp_path / "in" / f"v{copy}").mkdir(parents=True)
        for file in sorted(dev_corpus.glob("*.txt")):
            source = shutil.copy(file, tmp_path / "in" / f"v{copy}" / file.name)
            sources[str(source)] = str(tmp_path / "out" / f"v{copy}" / f"{file.stem}.xml")
    pids = client.run(os.getpid)
    outcomes = []
    for outcome in batch.convert_files(sources, client=client):
        if not outcomes:  # the first batch is back, the others are running: kill a worker
            os.kill(next(iter(pids.values())), signal.SIGKILL)
        outcomes.append(outcome)
    assert [o.source for o in outcomes] == list(sources) and not any(o.error for o in outcomes)
    client.wait_for_workers(2, timeout=WORKER_RESTART_SECONDS)
    assert set(client.run(os.getpid).values()) != set(pids.values())  # the nanny started a new worker
    reference = {source: str(tmp_path / "ref" / Path(target).relative_to(tmp_path / "out"))
                 for source, target in sources.items()}
    assert not any(outcome.error for outcome in batch.convert_files(reference, jobs=2))
    written = _files(tmp_path / "out")
    assert len(written) == len(sources) and written == _files(tmp_path / "ref")  # once each, no temporary


def test_convert_through_fsspec_urls(dev_corpus: Path, tmp_path: Path) -> None:
    """Sources and outputs named by URL: file:// read and written directly, memory:// through fsspec."""
    fsspec = pytest.importorskip("fsspec")
    source = sorted(dev_corpus.glob("*.txt"))[0]
    memory = fsspec.filesystem("memory")
    memory.pipe_file("/in/doc.txt", source.read_bytes())
    targets = {f"file://{source}": f"file://{tmp_path}/doc.xml", "memory://in/doc.txt": "memory://out/doc.xml"}
    outcomes = list(batch.convert_files(targets, jobs=1))
    assert [o.error for o in outcomes] == [None, None]
    local = list(batch.convert_files({str(source): str(tmp_path / "ref.xml")}, jobs=1))[0]
    assert local.error is None
    assert (tmp_path / "doc.xml").read_bytes() == (tmp_path / "ref.xml").read_bytes() \
        == memory.cat_file("/out/doc.xml")


def test_client_imports_distributed_without_numpy() -> None:
    """A command's client leaves numpy out of ``import distributed`` (a fifth of its cost), and
    numpy stays importable after."""
    pytest.importorskip("numpy")
    code = ("import sys; from teikit.batch.cli import import_client_library; import_client_library(); "
            "print('distributed' in sys.modules, 'numpy' in sys.modules); import numpy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]
