"""Validation from several threads of one process (a Dask worker with ``--nthreads`` above 1,
a program calling ``teikit.validate`` from threads): each file gets its own diagnostics."""
from __future__ import annotations

import threading

from teikit.validation.runner import check_one, make_plan
from teikit.validation.xinclude import IncludePolicy

SCHEMA = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start><element name="TEI"><oneOrMore><element name="p"><text/></element></oneOrMore></element></start>
</grammar>"""
FILES = 60
THREADS = 4
ROUNDS = 3


def test_each_file_gets_its_own_diagnostics_when_threads_validate_at_once(tmp_path):
    schema = tmp_path / "p.rng"
    schema.write_text(SCHEMA)
    files = []
    for i in range(FILES):  # each file invalid in its own way: an element named after it
        path = tmp_path / f"f{i}.xml"
        path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<p>x</p>" * 200 + f"<bad{i}/></TEI>")
        files.append(str(path))
    plan = make_plan([str(schema)], None, "none", False, IncludePolicy())
    validators, frus_validators = plan.compile()
    results: dict[str, list[str]] = {}

    def check(share: list[str]) -> None:
        for file in share:
            results[file] = [d.message for d in check_one(file, plan, validators, frus_validators).diagnostics]

    for _ in range(ROUNDS):
        threads = [threading.Thread(target=check, args=(files[i::THREADS],)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for i, file in enumerate(files):
            assert len(results[file]) == 1 and f"bad{i} " in results[file][0] + " ", (file, results[file])
