from __future__ import annotations

import pytest

from teikit.errors import OutputError
from teikit.export import writer


def test_writes_and_returns_sha256(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    digest = writer.write_verified(target, "Wörter & <tags>")
    assert target.read_bytes() == "Wörter & <tags>".encode()
    assert digest == writer.sha256(target.read_bytes())
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]  # no temp file left


def test_refuses_overwrite_without_force(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(OutputError, match="--force"):
        writer.write_verified(target, "new")
    assert target.read_text() == "precious"
    writer.write_verified(target, "new", force=True)
    assert target.read_text() == "new"


def test_write_all_checks_every_target_first(tmp_path):
    (tmp_path / "b.txt").write_text("old")
    with pytest.raises(OutputError):
        writer.write_all({tmp_path / "a.txt": "a", tmp_path / "b.txt": "b"})
    assert not (tmp_path / "a.txt").exists()  # nothing written when one target is refused


def test_checksum_mismatch_after_write_is_an_error(tmp_path, monkeypatch):
    class CorruptingBatch(writer.Batch):
        def write(self, target, data):
            return super().write(target, data[:-1])

    (tmp_path / "x.txt").write_text("old")
    monkeypatch.setattr(writer, "Batch", CorruptingBatch)
    with pytest.raises(OutputError, match="checksum mismatch"):
        writer.write_all({tmp_path / "y.txt": "fine", tmp_path / "x.txt": "abc"}, force=True)
    # nothing is renamed into place when one file does not read back the same; no temporary left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]
    assert (tmp_path / "x.txt").read_text() == "old"


def test_write_all_writes_every_file_once_flushed(tmp_path):
    outputs = {tmp_path / "t" / f"{i}.txt": f"text {i}" for i in range(20)}
    digests = writer.write_all(outputs)
    assert {p: p.read_text() for p in outputs} == outputs
    assert digests == {p: writer.sha256(data.encode()) for p, data in outputs.items()}
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(f"{i}.txt" for i in range(20))


def test_directory_is_never_replaced_by_a_file(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="directory"):
        writer.write_verified(tmp_path / "d", "x", force=True)
