"""The DTS 1.0 endpoints on the dev corpus: every response checked against the JSON schemas."""
from __future__ import annotations

from lxml import etree
import pytest

from starlette.testclient import TestClient

from teikit.serve import dts as dts_module
from teikit.serve.app import create_app
from teikit.xmlio import TEI_NS

DOC = "frus1955-57v01/d186"  # pages 401 (begun before the document), 402-405
VOLUME = "frus1955-57v01"
TEI = f"{{{TEI_NS}}}"
DTS_WRAPPER = "{https://w3id.org/api/dts#}wrapper"


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    return response.json()


# -- entry ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/dts", "/api/dts/"])
def test_entry(client, schemas, url):
    data = schemas("entry", get_json(client, url))
    # absolute, from the host the client asked: clients (the community validator) request them as written
    assert data["collection"] == "http://testserver/api/dts/collection{?id,page,nav}"
    assert data["@id"] == "http://testserver/api/dts"


def test_uri_templates_follow_the_host_asked(client):
    data = client.get("/api/dts", headers={"Host": "edition.example.org:8080"}).json()
    assert data["document"].startswith("http://edition.example.org:8080/api/dts/document{?")


# -- collection -------------------------------------------------------------------------------

def test_root_collection_lists_volumes(client, schemas, catalog):
    data = schemas("collection", get_json(client, "/api/dts/collection"))
    assert data["@type"] == "Collection" and data["totalParents"] == 0
    assert [m["@id"] for m in data["member"]] == [c.identifier for c in catalog.collections]
    assert data["totalChildren"] == len(data["member"]) == 3
    assert data == get_json(client, "/api/dts/collection?id=teikit:corpus")


def test_volume_collection_lists_documents_in_order(client, schemas):
    data = schemas("collection", get_json(client, f"/api/dts/collection?id={VOLUME}"))
    ids = [m["@id"] for m in data["member"]]
    assert ids[0] == "frus1955-57v01/d185" and ids[-1] == "frus1955-57v01/d200"
    assert data["totalChildren"] == 16 and data["totalParents"] == 1
    first = data["member"][0]
    assert first["@type"] == "Resource"
    assert first["title"].startswith("185. Telegram From the Secretary of State")
    assert first["dublinCore"]["date"] == ["1955-05-12T13:00:00"] or first["dublinCore"]["date"]
    assert first["document"].startswith("http://testserver/api/dts/document?resource=frus1955-57v01/d185{&")


def test_resource_collection_and_parents(client, schemas):
    data = schemas("collection", get_json(client, f"/api/dts/collection?id={DOC}"))
    assert data["@type"] == "Resource" and "member" not in data
    trees = data["citationTrees"]
    assert trees[0]["citeStructure"][0]["citeType"] == "page" and "identifier" not in trees[0]
    assert trees[1]["identifier"] == "paragraph"
    parents = schemas("collection", get_json(client, f"/api/dts/collection?id={DOC}&nav=parents"))
    assert [m["@id"] for m in parents["member"]] == [VOLUME]
    up = schemas("collection", get_json(client, f"/api/dts/collection?id={VOLUME}&nav=parents"))
    assert [m["@id"] for m in up["member"]] == ["teikit:corpus"]


def test_collection_pagination(catalog, schemas, monkeypatch):
    monkeypatch.setattr(dts_module, "PAGE_SIZE", 5)
    client = TestClient(create_app(catalog))  # its own answer cache: another page size
    data = schemas("collection", get_json(client, f"/api/dts/collection?id={VOLUME}&page=2"))
    assert len(data["member"]) == 5
    assert data["view"]["previous"].endswith("page=1") and data["view"]["last"].endswith("page=4")
    last = schemas("collection", get_json(client, f"/api/dts/collection?id={VOLUME}&page=4"))
    assert len(last["member"]) == 1 and "next" not in last["view"]


# -- navigation -------------------------------------------------------------------------------

def nav(client, schemas, query, status=200):
    data = get_json(client, f"/api/dts/navigation?resource={DOC}&{query}", status)
    return schemas("navigation" if status == 200 else "error", data)


def test_navigation_top_level_pages(client, schemas):
    data = nav(client, schemas, "down=1")
    assert [m["identifier"] for m in data["member"]] == ["401", "402", "403", "404", "405"]
    assert all(m["parent"] is None and m["level"] == 1 and m["citeType"] == "page" for m in data["member"])
    assert data["@id"].endswith(f"/api/dts/navigation?resource={DOC}&down=1")
    assert "ref" not in data and nav(client, schemas, "down=-1")["member"] == data["member"]


def test_navigation_ref_without_down_has_no_member(client, schemas):
    data = nav(client, schemas, "ref=403")
    assert data["ref"]["identifier"] == "403" and "member" not in data


def test_navigation_ref_down_0_gives_siblings(client, schemas):
    data = nav(client, schemas, "ref=403&down=0")
    assert len(data["member"]) == 5


def test_navigation_ref_down_1_in_a_flat_tree_is_the_unit(client, schemas):
    assert [m["identifier"] for m in nav(client, schemas, "ref=403&down=1")["member"]] == ["403"]


def test_navigation_range(client, schemas):
    data = nav(client, schemas, "start=402&end=404")
    assert data["start"]["identifier"] == "402" and data["end"]["identifier"] == "404"
    assert "member" not in data
    ranged = nav(client, schemas, "start=402&end=404&down=1")
    assert [m["identifier"] for m in ranged["member"]] == ["402", "403", "404"]


def test_navigation_paragraph_tree(client, schemas):
    data = nav(client, schemas, "tree=paragraph&down=1")
    assert [m["identifier"] for m in data["member"]][:3] == ["1", "2", "3"]
    assert all(m["citeType"] == "paragraph" for m in data["member"])


def test_navigation_pagination(catalog, schemas, monkeypatch):
    monkeypatch.setattr(dts_module, "PAGE_SIZE", 2)
    client = TestClient(create_app(catalog))  # its own answer cache: another page size
    data = nav(client, schemas, "down=1&page=3")
    assert [m["identifier"] for m in data["member"]] == ["405"]
    assert data["view"]["first"].endswith("down=1&page=1")


def test_document_without_pb_has_only_a_paragraph_tree(client, schemas):
    data = schemas("navigation", get_json(client, "/api/dts/navigation?resource=frus1955-57v01/d187&down=1"))
    assert [t.get("identifier") for t in data["resource"]["citationTrees"]] == [None]
    assert data["resource"]["citationTrees"][0]["citeStructure"][0]["citeType"] == "paragraph"


@pytest.mark.parametrize("query,status", [
    ("", 400),                      # neither ref, range nor down
    ("down=0", 400),                # siblings of nothing
    ("ref=402&start=402&end=403", 400),
    ("start=402", 400), ("end=402", 400),
    ("start=402&end=403&down=0", 400),
    ("down=two", 400), ("down=-2", 400),
    ("start=404&end=402", 400),     # a reversed range
    ("down=1&page=x", 400), ("down=1&page=0", 400), ("down=1&page=9", 404),
    ("down=1&colour=red", 400),     # an unknown parameter
    ("ref=999", 404), ("start=402&end=999", 404),
    ("tree=chapters&down=1", 404),
    ("ref=402&page=1", 400),        # page without members
])
def test_navigation_errors(client, schemas, query, status):
    data = nav(client, schemas, query, status)
    assert data["statusCode"] == status


def test_navigation_needs_a_known_resource(client, schemas):
    schemas("error", get_json(client, "/api/dts/navigation?down=1", 400))
    schemas("error", get_json(client, "/api/dts/navigation?resource=nowhere/d1&down=1", 404))
    schemas("error", get_json(client, f"/api/dts/navigation?resource={DOC}&down=1&down=2", 400))


@pytest.mark.parametrize("query,status", [
    ("id=nowhere", 404), ("id=frus1955-57v01&nav=sideways", 400), ("id=frus1955-57v01&page=x", 400),
    ("id=frus1955-57v01&page=2", 404), (f"id={DOC}&page=1", 400), ("colour=red", 400),
])
def test_collection_errors(client, schemas, query, status):
    assert schemas("error", get_json(client, f"/api/dts/collection?{query}", status))["statusCode"] == status


# -- document ---------------------------------------------------------------------------------

def get_tei(client, query, status=200):
    response = client.get(f"/api/dts/document?{query}")
    assert response.status_code == status, response.text
    if status != 200:
        return response
    assert response.headers["content-type"].startswith("application/tei+xml")
    assert response.headers["link"] == f'</api/dts/collection?id={DOC.split("&")[0]}>; rel="collection"' \
        or 'rel="collection"' in response.headers["link"]
    root = etree.fromstring(response.content)
    assert root.tag == f"{TEI}TEI"
    return root


def test_document_whole(client, dev_corpus):
    root = get_tei(client, f"resource={DOC}")
    div = root.find(f"{TEI}text/{TEI}body/{TEI}div")
    assert div.get("n") == "186" and root.find(f"{TEI}teiHeader") is not None
    original = etree.parse(str(dev_corpus / "frus1955-57v01_d186.xml")).getroot()
    assert etree.tostring(div) == etree.tostring(original)


def test_document_of_a_teikit_file_is_the_file(client, tei_dir):
    root = get_tei(client, "resource=tei/d59")
    original = etree.parse(str(tei_dir / "000_7077ceb38f60db2d.xml")).getroot()
    assert etree.tostring(root) == etree.tostring(original)


def test_document_page_is_the_text_between_two_page_breaks(client):
    root = get_tei(client, f"resource={DOC}&ref=403")
    wrapper = root.find(DTS_WRAPPER)
    breaks = wrapper.findall(f".//{TEI}pb")
    assert [pb.get("n") for pb in breaks] == ["403"]
    text = "".join(wrapper.itertext())
    page = get_tei(client, f"resource={DOC}&ref=404").find(DTS_WRAPPER)
    assert text and "".join(page.itertext()) not in text


def test_document_first_page_begins_at_the_document(client):
    wrapper = get_tei(client, f"resource={DOC}&ref=401").find(DTS_WRAPPER)
    assert wrapper[0].tag == f"{TEI}head" and not wrapper.findall(f".//{TEI}pb")


def test_document_range_of_pages_joins_them(client):
    wrapper = get_tei(client, f"resource={DOC}&start=402&end=404").find(DTS_WRAPPER)
    assert [pb.get("n") for pb in wrapper.iter(f"{TEI}pb")] == ["402", "403", "404"]


def test_document_paragraph(client, catalog):
    wrapper = get_tei(client, f"resource={DOC}&tree=paragraph&ref=2").find(DTS_WRAPPER)
    assert len(wrapper) == 1 and wrapper[0].tag == f"{TEI}p"
    expected = catalog.resource(DOC).trees()[1].units[1].element
    assert "".join(wrapper[0].itertext()) == "".join(expected.itertext())


def test_document_as_html(client):
    response = client.get(f"/api/dts/document?resource={DOC}&ref=403&mediaType=text/html")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "[Page 403]" in response.text
    assert '<base href="/frus1955-57v01/d186.html">' in response.text  # its links lead into the site


@pytest.mark.parametrize("query,status", [
    ("", 400), ("resource=nowhere/d1", 404), (f"resource={DOC}&ref=999", 404),
    (f"resource={DOC}&ref=402&start=402&end=403", 400), (f"resource={DOC}&start=402", 400),
    (f"resource={DOC}&tree=chapters", 404), (f"resource={DOC}&mediaType=application/pdf", 404),
    (f"resource={DOC}&start=404&end=402", 400), (f"resource={DOC}&colour=red", 400),
])
def test_document_errors(client, schemas, query, status):
    response = client.get(f"/api/dts/document?{query}")
    assert response.status_code == status
    schemas("error", response.json())


# -- every resource ---------------------------------------------------------------------------

def test_every_resource_answers_every_endpoint(client, schemas, catalog):
    for resource in catalog.resources:
        rid = resource.identifier
        schemas("collection", get_json(client, f"/api/dts/collection?id={rid}"))
        for tree in resource.trees():
            suffix = f"&tree={tree.identifier}" if tree.identifier else ""
            data = schemas("navigation", get_json(client, f"/api/dts/navigation?resource={rid}&down=-1{suffix}"))
            identifiers = [m["identifier"] for m in data["member"]]
            assert len(identifiers) == len(set(identifiers))
            for identifier in identifiers[:3]:
                get_tei(client, f"resource={rid}&ref={identifier}{suffix}")
        get_tei(client, f"resource={rid}")


def test_a_repeated_request_is_answered_from_the_cache(catalog, monkeypatch):
    client = TestClient(create_app(catalog))
    url = f"/api/dts/navigation?resource={DOC}&down=1"
    first = client.get(url)
    monkeypatch.setattr(dts_module.DTS, "navigation", lambda *a: pytest.fail("rendered twice"))
    again = client.get(url)
    assert (again.status_code, again.content, again.headers["content-type"]) == \
        (first.status_code, first.content, first.headers["content-type"])
