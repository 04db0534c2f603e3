from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pytest

from teikit.export.html import render_html
from teikit.export.inputs import load_inputs


def _page(docs):
    text = render_html(docs)
    assert text.startswith("<!DOCTYPE html>")
    return text, lxml.html.document_fromstring(text)


def _check_dom(dom) -> None:
    """Footnotes, page numbers and cross-reference links of d186 (and links in general) work."""
    ids = {el.get("id") for el in dom.iter() if isinstance(el.tag, str) and el.get("id")}
    article = dom.get_element_by_id("d186")
    assert article.tag == "article"
    # footnotes: markers in the text, a numbered list at the end, back-links
    markers = article.xpath(".//sup[@class='noteref']/a")
    assert [a.text for a in markers] == ["1", "2", "3"]
    items = article.xpath(".//section[@class='footnotes']/ol/li")
    assert [li.get("id") for li in items] == ["d186fn1", "d186fn2", "d186fn3"]
    assert items[1].text_content().startswith("2. May 11.")  # the printed number, then the note
    for a, li in zip(markers, items):
        assert a.get("href") == f"#{li.get('id')}"
        assert li.xpath("a[@class='backlink']")[0].get("href") == f"#{a.get('id')}"
    # page numbers in the text, where each page begins, as history.state.gov shows them
    pages = article.xpath(".//a[@class='pb']")
    assert [(p.get("id"), p.text) for p in pages] == [
        ("pg_402", "[Page 402]"), ("pg_403", "[Page 403]"), ("pg_404", "[Page 404]"), ("pg_405", "[Page 405]")]
    # the cross-reference in note 3 is a working link to document 189 in the page
    ref = items[2].xpath(".//a[@class='ref']")[0]
    assert ref.text == "Document 189" and ref.get("href") == "#d189" and "d189" in ids
    # every in-page link has a target
    for a in dom.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith("https://history.state.gov/historicaldocuments/frus"), href


def test_dev_corpus_page(dev_docs):
    text, dom = _page(dev_docs)
    _check_dom(dom)
    assert len(dom.xpath("//article")) == 20
    assert len(dom.xpath("//nav[@class='toc']//a")) == 20
    # titles without doubled numbers: "186. Telegram …" once in the contents and the heading
    assert dom.xpath("//nav[@class='toc']//a[@href='#d186']")[0].text.startswith("186. Telegram")
    assert not dom.xpath("//nav[@class='toc']//ol")  # a list numbered by the browser would number it again
    assert dom.get_element_by_id("d186").find("h2").text_content().startswith("186. Telegram")
    assert dom.findtext(".//h1") == "20 documents from frus1955-57v01 and frus1969-76ve13"
    # responsive: the phone's viewport, no fixed margin, the reading site's style sheet
    assert dom.xpath("//meta[@name='viewport']") and "max-width:44em" in text and "margin-right:-7em" not in text
    assert len(dom.xpath("//section[@class='footnotes']/ol/li")) == 67
    assert len(dom.xpath("//a[@class='pb']")) == 43
    # a ref to a document not in the page goes to history.state.gov
    assert dom.xpath("//a[@href='https://history.state.gov/historicaldocuments/frus1955-57v01/d201']")
    assert "<script" not in text


def test_unresolved_ref_is_not_a_dead_link_and_text_is_escaped(tmp_path):
    src = tmp_path / "x.xml"
    src.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body><div type="document" xml:id="d1" n="1"><head>1. A &amp; B</head>'
        '<p>&lt;script&gt;alert(1)&lt;/script&gt; see <ref target="#d9">Document 9</ref>.</p>'
        '<list><head>LIST</head><item>one</item></list></div></body></text></TEI>', encoding="utf-8")
    text, dom = _page(load_inputs([src]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert not dom.xpath("//script")
    span = dom.xpath("//span[contains(@class,'unresolved')]")[0]
    assert span.get("data-target") == "#d9" and span.text == "Document 9"
    assert dom.xpath("//h2")[0].text_content() == "1. A & B"
    assert dom.xpath("//p[@class='list-head']")[0].text == "LIST"


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def test_page_in_headless_chromium(dev_docs, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "corpus.html"
    page.write_text(render_html(dev_docs), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}"]
    run = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr[-2000:]
    dom = lxml.html.document_fromstring(run.stdout)   # the DOM as the browser built it
    _check_dom(dom)
    assert len(dom.xpath("//section[@class='footnotes']/ol/li")) == 67
    shot = tmp_path / "shot.png"
    run = subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1200,2000",
                          page.as_uri()], capture_output=True, timeout=120,
                         env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0 and shot.stat().st_size > 10_000


def test_no_text_is_lost(dev_docs):
    import re
    _text, dom = _page(dev_docs)
    for el in dom.xpath("//a[@class='pb'] | //sup[@class='noteref'] | //a[@class='backlink']"
                        " | //section[@class='footnotes']/h3 | //ol[@class='notes']/li/span[@class='n']"):
        el.drop_tree()
    for doc in dev_docs:
        div = doc.documents[0].element
        article = dom.get_element_by_id(div.get("{http://www.w3.org/XML/1998/namespace}id"))
        got = re.sub(r"\s", "", article.text_content())
        assert sorted(got) == sorted(re.sub(r"\s", "", "".join(div.itertext()))), doc.stem


def test_teikit_output_renders(tei_dir):
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("no converter output in tei/ yet")
    docs = load_inputs(files)
    _text, dom = _page(docs)
    notes = sum(len(d.root.findall(".//{http://www.tei-c.org/ns/1.0}note")) for d in docs)
    pbs = sum(len(d.root.findall(".//{http://www.tei-c.org/ns/1.0}pb")) for d in docs)
    assert len(dom.xpath("//section[@class='footnotes']/ol/li")) == notes
    assert len(dom.xpath("//a[@class='pb']")) == pbs
    ids = {el.get("id") for el in dom.iter() if isinstance(el.tag, str) and el.get("id")}
    assert all(a.get("href")[1:] in ids for a in dom.xpath("//a[starts-with(@href,'#')]"))


def test_a_heading_without_its_number_gets_it_once(tmp_path):
    src = tmp_path / "x.xml"
    src.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body><div type="document" xml:id="d7" n="7"><head>Memorandum</head><p>a</p></div>'
        '<div type="document" xml:id="d8" n="8"><head>8. Letter</head><p>b</p></div></body></text></TEI>',
        encoding="utf-8")
    _text, dom = _page(load_inputs([src]))
    assert [a.text for a in dom.xpath("//nav[@class='toc']//a")] == ["7. Memorandum", "8. Letter"]
    assert [h.text_content() for h in dom.xpath("//article/h2")] == ["7. Memorandum", "8. Letter"]


def test_a_play(tmp_path):
    """Speeches, asides inside lines, numbered divisions and the cast list make valid, readable HTML."""
    play = tmp_path / "play.xml"
    play.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><front><castList><castItem>
<role xml:id="ann">Ann</role>, <roleDesc>a keeper</roleDesc></castItem></castList></front><body>
<div1 type="act" n="1"><head>Act One</head><stage>Night.</stage>
<sp who="#ann"><speaker>ANN.</speaker><l>The ships come <stage>(looking out)</stage> on.</l>
<p>Fill it. <stage>She waits.</stage> Go on.</p></sp></div1></body></text></TEI>""")
    text, dom = _page(load_inputs([play]))
    assert dom.xpath("string(//article[@class='div1']/h2)").endswith("Act One")   # a part of its own
    assert dom.xpath("string(//p[@class='stage'])") == "Night."             # between speeches: a paragraph
    line = dom.xpath("//div[@class='sp']/div[@class='l']")[0]
    assert line.xpath("span[@class='stage']")[0].text == "(looking out)"   # an aside: inside its line
    assert dom.xpath("//div[@class='sp']/p[not(@class)]/span[@class='stage']")[0].text == "She waits."
    assert not dom.xpath("//p//p") and dom.xpath("//*[@class='castList']//p[@class='castItem']")
    assert " ".join(dom.xpath("string(//p[@class='castItem'])").split()) == "Ann, a keeper"   # not "Ann , a"
