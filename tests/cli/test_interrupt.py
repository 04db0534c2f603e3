"""Killing or interrupting a batch convert: outputs complete or absent, no orphan, no temporary.

Each run is started in a session of its own, so its process group holds the parent
and its workers, and "no orphan" is "the group is empty".
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from teikit.outputs import TEMP_PREFIX

from ..conftest import SEEDS, TEI_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

FILES = 600          # enough that the batch is still running when the first output appears
WAIT_SECONDS = 60    # generous: the machine may be shared


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, bytes]:
    """FILES copies of one seed, and the output converting one of them gives."""
    folder = tmp_path_factory.mktemp("batch") / "in"
    folder.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    for i in range(FILES):
        shutil.copy(seed, folder / f"d{i}.txt")
    reference = tmp_path_factory.mktemp("ref") / "one.xml"
    subprocess.run([sys.executable, "-m", "teikit", "convert", str(folder / "d0.txt"), "-o", str(reference)],
                   check=True)
    return folder, reference.read_bytes()


def start(folder: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "teikit", "convert", str(folder), "-o", str(out), "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_first_output(out: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if out.is_dir() and any(p.suffix == ".xml" for p in out.iterdir()):
            return
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.01)
    pytest.fail("no output appeared")


def group_is_empty(pgid: int) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.killpg(pgid, signal.SIGKILL)  # do not leave them behind for the next test
    return False


def temporaries(out: Path) -> list[str]:
    return [p.name for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def test_sigkill_mid_batch_leaves_complete_outputs_no_orphan_and_the_next_run_cleans_up(batch, tmp_path):
    folder, reference = batch
    out = tmp_path / "out"
    proc = start(folder, out)
    wait_for_first_output(out, proc)
    proc.kill()
    proc.wait()
    assert group_is_empty(proc.pid), "worker processes outlived their parent"
    written = sorted(out.glob("*.xml"))
    assert 0 < len(written) < FILES
    assert all(p.read_bytes() == reference for p in written)  # each output complete (or absent)

    again = subprocess.run([sys.executable, "-m", "teikit", "convert", str(folder), "-o", str(out)],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr  # no --force needed: what was there was complete
    assert len(list(out.glob("*.xml"))) == FILES
    assert temporaries(out) == []


@pytest.mark.parametrize("how, status", [("SIGINT to the group", 130), ("SIGTERM to the parent", 143)])
def test_interruption_is_one_line_and_a_clean_exit(batch, tmp_path, how, status):
    folder, reference = batch
    out = tmp_path / "out"
    proc = start(folder, out)
    wait_for_first_output(out, proc)
    if how.startswith("SIGINT"):
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        proc.terminate()
    _, stderr = proc.communicate(timeout=WAIT_SECONDS)
    assert proc.returncode == status
    assert "Traceback" not in stderr and stderr.strip().splitlines()[-1].startswith("teikit: interrupted")
    assert group_is_empty(proc.pid)
    assert temporaries(out) == []
    assert all(etree.fromstring(p.read_bytes()) is not None and p.read_bytes() == reference
               for p in out.glob("*.xml"))


def group_members(pgid: int) -> int:
    """Processes in the group (Linux /proc; field 5 of /proc/PID/stat is the group)."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:
                count += 1
    return count


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigkill_of_a_parallel_validate_leaves_no_orphan(tmp_path):
    tei = sorted(TEI_DIR.glob("*.xml"))[0]
    for i in range(FILES):
        shutil.copy(tei, tmp_path / f"d{i}.xml")
    proc = subprocess.Popen([sys.executable, "-m", "teikit", "validate", str(tmp_path), "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + WAIT_SECONDS
    while group_members(proc.pid) < 3:  # the parent and its two workers
        assert proc.poll() is None and time.monotonic() < deadline, "no workers seen"
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert group_is_empty(proc.pid), "validate workers outlived their parent"
