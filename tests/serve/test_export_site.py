"""``teikit export --format site``: the served pages as static files."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin

from lxml import html as lxml_html
import pytest

from teikit.cli import main


@pytest.fixture(scope="module")
def site(sources, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "site", *map(str, sources), "-o", str(out)])
    assert exit_info.value.code == 0
    return out


def test_one_page_per_document_and_contents(site, catalog):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    expected = {"index.html", "search.html"} | {f"{c.identifier}/index.html" for c in catalog.collections} \
        | {f"{r.identifier}.html" for r in catalog.resources}
    assert set(pages) == expected


def test_static_pages_are_the_served_pages(site, client):
    for name in ["index.html", "frus1955-57v01/index.html", "frus1955-57v01/d186.html"]:
        served = client.get("/" + name).text
        static = (site / name).read_text(encoding="utf-8")
        # the only difference: a static site has no search form
        assert lxml_html.fromstring(served).xpath("string(//main)") == lxml_html.fromstring(static).xpath("string(//main)")
    assert not lxml_html.fromstring((site / "index.html").read_text()).xpath("//form")


def test_every_internal_link_resolves(site):
    checked = 0
    for path in site.rglob("*.html"):
        tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
        for href in tree.xpath("//a/@href"):
            if href.startswith(("http://", "https://")):
                continue
            target = urljoin(path.relative_to(site).as_posix(), href)
            name, _, fragment = target.partition("#")
            file = site / unquote(name) if name else path
            assert file.is_file(), f"{path}: {href}"
            if fragment:
                assert lxml_html.fromstring(file.read_text(encoding="utf-8")).xpath(
                    f"//*[@id='{fragment}']"), f"{path}: {href}"
            checked += 1
    assert checked > 300  # notes, back-links, page anchors, contents, prev/next on 27 pages


def test_static_search_index(site):
    records = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    d186 = [r for r in records if r["document"] == "frus1955-57v01/d186"]
    assert {r["page"] for r in d186 if r["kind"] == "text"} == {"401", "402", "403", "404", "405"}
    assert all((site / r["url"]).is_file() for r in records)
    assert "teikit serve" in (site / "search.html").read_text(encoding="utf-8")


def test_existing_output_needs_force(site, sources, capsys):
    before = (site / "index.html").read_text()
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "site", *map(str, sources), "-o", str(site)])
    assert exit_info.value.code == 2 and "--force" in capsys.readouterr().err
    assert (site / "index.html").read_text() == before


def test_bad_input_leaves_nothing(tmp_path, tei_dir, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    out = tmp_path / "site"
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "site", str(tei_dir), str(bad), "-o", str(out)])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith(f"{bad}:1: not well-formed XML")
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.xml"]
