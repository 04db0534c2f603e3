"""XInclude safety: only regular files, by relative path, inside the input's folder tree."""
from __future__ import annotations

import os
import time

import pytest

import teikit

MAIN = ('<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" '
        'type="document" n="1" xml:id="d1">\n<head>1. Memo</head>\n<xi:include href="{href}"{extra}/>\n</div>')
PART = '<p xmlns="http://www.tei-c.org/ns/1.0">Included text.</p>'


def include(folder, href, extra=""):
    path = folder / "main.xml"
    path.write_text(MAIN.format(href=href, extra=extra))
    return path


def check(path, **options):
    """Integrity rules only: the time measured is the include's, not a schema's compilation."""
    return teikit.validate(path, schemas=[], profile="none", jobs=1, **options)


def only_error(report):
    (diag,) = report.diagnostics
    assert diag.rule == "xinclude" and diag.line == 3 and diag.severity == "error"
    return diag.message


@pytest.mark.parametrize("href, why", [
    ("/dev/zero", "not absolute"),
    ("/etc/passwd", "not absolute"),
    ("file:///dev/zero", "only relative paths"),
    ("http://example.org/a.xml", "nothing is fetched"),
    ("../../../../../../../../dev/zero", "outside the input's folder tree"),
])
def test_dangerous_includes_are_refused_fast(tmp_path, href, why):
    started = time.monotonic()
    message = only_error(check(include(tmp_path, href)))
    assert time.monotonic() - started < 1.0
    assert message.startswith(f"XInclude of {href!r} refused") and why.split()[-1] in message


def test_sibling_folder_outside_the_tree_is_refused_unless_allowed(tmp_path):
    (tmp_path / "vol").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "part.xml").write_text(PART)
    main = include(tmp_path / "vol", "../common/part.xml")
    assert "outside the input's folder tree" in only_error(check(main))
    report = check(main, xinclude_roots=[tmp_path / "common"])
    assert "xinclude" not in {d.rule for d in report.diagnostics}


def test_symlink_out_of_the_tree_and_fifo_are_refused(tmp_path):
    (tmp_path / "link.xml").symlink_to("/dev/zero")
    assert "outside the input's folder tree" in only_error(check(include(tmp_path, "link.xml")))
    os.mkfifo(tmp_path / "pipe.xml")
    started = time.monotonic()
    assert "not a regular file" in only_error(check(include(tmp_path, "pipe.xml")))
    assert time.monotonic() - started < 1.0


def test_size_cap(tmp_path):
    from teikit.validation.runner import parse_file
    from teikit.validation.xinclude import IncludePolicy

    (tmp_path / "part.xml").write_text(PART)
    tree, problems = parse_file(str(include(tmp_path, "part.xml")), IncludePolicy(max_bytes=10))
    assert tree is None and "larger than 10 bytes" in problems[0].message


def test_nested_include_is_checked_before_it_is_read(tmp_path):
    (tmp_path / "part.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0" '
                                       'xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/dev/zero" '
                                       'parse="text"/></p>')
    message = only_error(check(include(tmp_path, "part.xml")))
    assert f"in {tmp_path / 'part.xml'}: XInclude of '/dev/zero' refused" in message


def test_xml_base_cannot_lead_out(tmp_path):
    main = include(tmp_path, "passwd", ' xml:base="/etc/"')
    assert "outside the input's folder tree" in only_error(check(main))


def test_include_inside_the_tree_is_expanded(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "p.xml").write_text(PART)
    from teikit.validation.runner import parse_file

    main = include(tmp_path, "parts/p.xml")
    assert check(main).diagnostics == []
    tree, problems = parse_file(str(main))
    assert problems == [] and "Included text." in "".join(tree.getroot().itertext())


TEI_MAIN = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
            '<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p>'
            '</publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>\n'
            '<text><body>\n<xi:include href="part.xml"/>\n</body></text></TEI>')
ENTITY_PART = ('<!DOCTYPE p [\n<!ENTITY ext SYSTEM "secret.txt">\n<!ENTITY int "inner text">\n]>\n'
               '<p xmlns="http://www.tei-c.org/ns/1.0">hello\n{reference} there</p>')


def check_with_schema(tmp_path, reference):
    """Validated against the bundled schema: an entity reference libxml2 included unexpanded
    made its XML Schema check fail with "Internal error in XML Schema validation"."""
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "part.xml").write_text(ENTITY_PART.format(reference=reference))
    (tmp_path / "main.xml").write_text(TEI_MAIN)
    from teikit.validation import bundled_schema_path
    return teikit.validate(tmp_path / "main.xml", schemas=[bundled_schema_path()], profile="none", jobs=1)


def test_an_included_file_using_an_external_entity_is_reported_on_its_line(tmp_path):
    report = check_with_schema(tmp_path, "&ext;")
    (diag,) = report.diagnostics
    assert (diag.rule, diag.line, diag.severity) == ("entity", 3, "error")
    assert diag.message.startswith(f"in {tmp_path / 'part.xml'}:6: external entity &ext; (secret.txt) is not read")
    assert "internal error" not in diag.message.lower()


def test_an_included_file_using_an_internal_entity_is_expanded(tmp_path):
    report = check_with_schema(tmp_path, "&int;")
    assert report.ok and report.diagnostics == []
    from teikit.validation.runner import parse_file
    tree, problems = parse_file(str(tmp_path / "main.xml"))
    assert problems == [] and "hello\ninner text there" in "".join(tree.getroot().itertext())
