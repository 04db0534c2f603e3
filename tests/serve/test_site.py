"""The reading site, served: contents, document pages, notes, page marks, refs, search."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from teikit.serve.app import create_app

from .conftest import TestClient

DOC_URL = "/frus1955-57v01/d186.html"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return lxml_html.fromstring(response.text)


def test_home_lists_collections(client, catalog):
    tree = page(client, "/")
    links = tree.xpath("//ul[@class='contents']//a/@href")
    assert links == [f"{c.identifier}/index.html" for c in catalog.collections]
    assert page(client, "/index.html").xpath("//h1/text()") == tree.xpath("//h1/text()")


def test_collection_contents_have_single_numbers(client):
    tree = page(client, "/frus1955-57v01/")
    labels = tree.xpath("//ul[@class='contents']/li/a/text()")
    assert labels[0].startswith("185. Telegram From the Secretary of State")
    assert len(labels) == 16
    assert not [label for label in labels if re.match(r"^\d+\.\s+\d+\.", label)]
    assert client.get("/frus1955-57v01", follow_redirects=False).status_code == 308


def test_document_page_heading_and_breadcrumb(client):
    tree = page(client, DOC_URL)
    h1 = tree.xpath("string(//h1)")
    assert h1.startswith("186. Telegram From the Secretary of State to the Department of State")
    assert not re.match(r"^\d+\.\s+\d+\.", h1)
    crumbs = tree.xpath("//nav[@class='crumbs']//text()")
    assert "frus1955-57v01" in crumbs and "Document 186" in crumbs
    assert tree.xpath("//nav[@class='crumbs']/a/@href")[-1] == "../frus1955-57v01/index.html"


def test_document_page_prev_next(client):
    tree = page(client, DOC_URL)
    assert tree.xpath("//a[@rel='prev']/@href")[0] == "../frus1955-57v01/d185.html"
    assert tree.xpath("//a[@rel='next']/@href")[0] == "../frus1955-57v01/d187.html"
    first = page(client, "/frus1955-57v01/d185.html")
    assert not first.xpath("//a[@rel='prev']") and first.xpath("//a[@rel='next']")


def test_page_marks_in_the_text_with_anchors(client):
    tree = page(client, DOC_URL)
    marks = tree.xpath("//div[@class='text']//a[@class='pb']")
    assert [m.text for m in marks] == ["[Page 402]", "[Page 403]", "[Page 404]", "[Page 405]"]
    assert all(m.get("href") == f"#{m.get('id')}" == "#page-" + m.text[6:-1] for m in marks)
    assert tree.xpath("//*[@id='page-401']")  # the page the document starts on


def test_footnotes_and_back_links(client):
    tree = page(client, DOC_URL)
    refs = tree.xpath("//sup[@class='noteref']/a")
    assert len(refs) == 3
    for ref in refs:
        target = ref.get("href")[1:]
        [note] = tree.xpath(f"//section[@class='footnotes']//li[@id='{target}']")
        assert note.xpath("a[@class='backlink']/@href") == [f"#{ref.get('id')}"]
        assert note.xpath("string(span[@class='n'])").strip() == f"{ref.text}."


def test_cite_this(client):
    tree = page(client, DOC_URL)
    assert tree.xpath("string(//p[@class='cite'])") == \
        "Cite this: frus1955-57v01, Document 186, pp. 401–405."


def test_cross_references_link_to_documents(client, catalog):
    linked = 0
    for resource in catalog.resources:
        url = f"/{resource.identifier}.html"
        for a in page(client, url).xpath("//a[@class='ref']"):
            target = urljoin(url, a.get("href"))
            if not target.startswith("/"):
                continue  # a link out of the site
            linked += 1
            path, _, fragment = target.partition("#")
            assert not fragment or page(client, path).xpath(f"//*[@id='{fragment}']"), target
    assert linked >= 3


def test_unknown_pages_are_404(client):
    tree = page(client, "/frus1955-57v01/d999.html", 404)
    assert tree.xpath("string(//h1)") == "Not found"
    assert tree.xpath("//nav[@class='crumbs']/a/@href") == ["../index.html"]
    assert page(client, "/nowhere/", 404).xpath("//nav[@class='crumbs']/a/@href") == ["../index.html"]


def test_no_javascript_anywhere(client, catalog):
    for url in ["/", "/frus1955-57v01/", DOC_URL, "/search.html?q=Diem"]:
        assert not page(client, url).xpath("//script | //@*[starts-with(name(), 'on')]")


def test_search_with_snippets(client):
    tree = page(client, "/search.html?q=Diem")
    hits = tree.xpath("//ul[@class='hits']/li")
    assert hits and all(h.xpath(".//mark") for h in hits)
    href = hits[0].xpath("a/@href")[0]
    assert re.match(r"^frus1955-57v01/d\d+\.html#page-\d+$", href)
    assert hits[0].xpath("string(span[@class='meta'])").startswith("Document ")


def test_search_phrase_and_nothing_found(client):
    phrase = page(client, '/search.html?q="third+trilateral+meeting"')
    assert [h.split("#")[0] for h in phrase.xpath("//ul[@class='hits']/li/a/@href")] == ["frus1955-57v01/d186.html"]
    none = page(client, "/search.html?q=zzyzzx")
    assert "Nothing found" in none.xpath("string(//p[@class='meta'])")
    assert page(client, "/search.html").xpath("//form[@role='search']")


def test_search_while_the_index_is_built(catalog):
    class Building:
        ready, error = False, None
    response = TestClient(create_app(catalog, Building())).get("/search.html?q=Diem")
    assert response.status_code == 503 and response.headers["retry-after"]
