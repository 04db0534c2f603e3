"""teikit.batch.validate without a cluster: the report of a local run, tei_all pruned once per worker."""
from __future__ import annotations

from pathlib import Path

from teikit.batch.validate import validate_files
from teikit.validation.runner import run


def test_tei_all_report_is_the_local_runs(dev_corpus: Path, tei_schemas: Path) -> None:
    files = sorted(str(f) for f in dev_corpus.glob("*.xml"))[:6]
    tei_all = tei_schemas / "tei_all.rng"
    batched = validate_files(files, tei_all=tei_all, jobs=2)  # workers given the run's element names
    local = run(files, tei_all=tei_all, jobs=1)
    assert batched.diagnostics and batched.diagnostics == local.diagnostics
    assert batched.files == local.files == files


def test_files_the_cli_found_are_not_looked_for_again(dev_corpus: Path, monkeypatch) -> None:
    from teikit.validation import runner

    found = runner.discover([dev_corpus])
    listed: list[object] = []
    real_expand = runner.expand_paths
    monkeypatch.setattr(runner, "expand_paths", lambda *a, **k: listed.append(a) or real_expand(*a, **k))
    report = validate_files(found, integrity_checks=False, profile="none", jobs=1)
    assert report.files == found and listed == []
    assert validate_files([str(dev_corpus)], integrity_checks=False, profile="none", jobs=1).files == found
    assert len(listed) == 1
