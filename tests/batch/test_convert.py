"""teikit.batch.convert without a cluster: how a batch's outputs are written and cleaned up."""
from __future__ import annotations

from pathlib import Path

from teikit.batch.convert import _remove_leftovers, convert_batch
from teikit.outputs import make_temp_file


def test_leftovers_of_the_targets_done_are_removed_only(tmp_path: Path) -> None:
    done, other = tmp_path / "frus1955-57v01_d185.xml", tmp_path / "frus1955-57v01_d18.xml"
    done.write_text("<TEI/>")
    stale = make_temp_file(done)   # what a worker killed while writing ``done`` left behind
    running = make_temp_file(other)  # another target, still being written: kept
    _remove_leftovers([str(done), str(tmp_path / "missing" / "x.xml")])
    assert not stale.exists() and running.exists() and done.exists()


def test_batch_writes_every_output_and_no_temporary(dev_corpus: Path, tmp_path: Path) -> None:
    sources = sorted(dev_corpus.glob("*.txt"))[:3]
    pairs = [(str(s), str(tmp_path / "out" / f"{s.stem}.xml")) for s in sources]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{sources[1].stem}.xml").write_text("other")   # differs: refused without force
    outcomes = convert_batch(pairs, "auto", False)
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert "exists and differs" in (outcomes[1].error or "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(Path(t).name for _, t in pairs)
    again = convert_batch(pairs, "auto", True)   # forced: the one that differed is replaced
    assert not any(o.error for o in again)
    assert [Path(t).read_bytes()[:5] for _, t in pairs] == [b"<?xml"] * 3
