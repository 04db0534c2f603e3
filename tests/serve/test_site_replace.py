"""``export --format site --force``: the old site survives every failure until the new one
is in place and on disk (README "Guarantees": outputs are atomic and complete)."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from teikit import batchwrite
from teikit.errors import OutputError
from teikit.outputs import TEMP_PREFIX, remove_stale_temporaries
from teikit.publish.site import write_site

from ..conftest import TEI_DIR


@pytest.fixture
def old_site(tmp_path) -> Path:
    site = tmp_path / "site"
    write_site([sorted(TEI_DIR.glob("*.xml"))[0]], site)
    (site / "index.html").write_text("the old site")
    return site


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_old_site_survives_a_failed_rename(old_site, monkeypatch):
    """Where the two names cannot be swapped in one step, the new site's rename failing
    (a full disk, a quota) puts the old one back under its name."""
    before = _files(old_site)
    monkeypatch.setattr(batchwrite, "_exchange", lambda first, second: False, raising=False)
    rename = os.rename

    def failing(source, target, *args, **kwargs):
        if os.fspath(target) == os.fspath(old_site) and os.path.basename(source).endswith(".tmp"):
            raise OSError(errno.EIO, "Input/output error")
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(OutputError, match="site: cannot write: Input/output error"):
        write_site([sorted(TEI_DIR.glob("*.xml"))[0]], old_site, force=True)
    assert _files(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]  # no temporary left


def test_a_run_killed_between_the_renames_gets_its_old_site_back(old_site):
    """Killed after moving the old site aside, before the new one took its name: the next
    run writing there puts the old one back instead of removing it as a temporary."""
    before = _files(old_site)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    old_site.rename(old_site.parent / f"{TEMP_PREFIX}{dead}.site.old")
    remove_stale_temporaries(old_site.parent)
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]
    assert _files(old_site) == before


def test_the_new_site_is_on_disk_before_it_takes_the_name(old_site, monkeypatch):
    flushed: set[str] = set()
    sync = batchwrite._sync
    exchange = batchwrite._exchange

    def recording_sync(names):
        flushed.update(names)
        sync(names)

    def checked_exchange(first, second):
        written = {os.path.join(top, name) for top, folders, files in os.walk(first) for name in folders + files}
        assert written and written <= flushed  # every file and folder of the new site
        return exchange(first, second)

    monkeypatch.setattr(batchwrite, "_sync", recording_sync)
    monkeypatch.setattr(batchwrite, "_exchange", checked_exchange)
    write_site([sorted(TEI_DIR.glob("*.xml"))[0]], old_site, force=True)
    assert (old_site / "index.html").read_text() != "the old site"
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]
