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


ANY_ELEMENT = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><!-- {version} -->
  <start><ref name="any"/></start>
  <define name="any"><element><anyName/><zeroOrMore><choice>
    <attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></element></define>
</grammar>"""
NO_DOCUMENT = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><!-- {version} -->
  <start><element name="nothing"><empty/></element></start>
</grammar>"""


def test_a_worker_compiles_a_schema_again_when_it_changed(dev_corpus: Path, tmp_path: Path) -> None:
    """A worker of a long-lived cluster keeps compiled schemas by content: an edited schema
    (here with its modification time kept) is compiled again, and only a few are kept."""
    import os

    from teikit.batch import validate as batch_validate
    from teikit.validation.runner import make_plan
    from teikit.validation.xinclude import IncludePolicy

    schema = tmp_path / "schema.rng"
    schema.write_text(ANY_ELEMENT.format(version=0))
    stamp = schema.stat().st_mtime_ns
    plan = make_plan([schema], None, "none", False, IncludePolicy())
    file = str(sorted(dev_corpus.glob("*.xml"))[0])
    for version in range(batch_validate.KEEP_PLANS + 2):
        schema.write_text((NO_DOCUMENT if version % 2 else ANY_ELEMENT).format(version=version))
        os.utime(schema, ns=(stamp, stamp))
        [result] = batch_validate.validate_batch([file], plan, frozenset(), plan.digests())
        assert bool(result.diagnostics) == bool(version % 2)
        assert len(batch_validate._COMPILED) <= batch_validate.KEEP_PLANS
