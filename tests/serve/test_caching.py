"""Answers kept by the server: ETag / If-None-Match, and pages shared by worker processes."""
from __future__ import annotations

from teikit.publish.render import Site
from teikit.serve.app import create_app

from .conftest import TestClient


def test_pages_carry_an_etag_and_a_matching_request_gets_304(client):
    first = client.get("/tei/d59.html")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/tei/d59.html", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/tei/d59.html", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    changed = client.get("/tei/d59.html", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == first.content


def test_api_answers_carry_an_etag_and_a_matching_request_gets_304(client):
    first = client.get("/api/dts/navigation?resource=tei/d59&down=1")
    etag = first.headers["etag"]
    assert first.status_code == 200
    again = client.get("/api/dts/navigation?resource=tei/d59&down=1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/dts/navigation?resource=tei/d77&down=1", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_errors_carry_no_etag(client):
    response = client.get("/api/dts/navigation?resource=nowhere/d1&down=1")
    assert response.status_code == 404 and "etag" not in response.headers


def test_a_page_rendered_by_one_worker_is_read_by_the_others(catalog, tmp_path, monkeypatch):
    first = TestClient(create_app(catalog, page_store=tmp_path))
    rendered = first.get("/tei/d77.html")
    assert rendered.status_code == 200
    assert [p.read_bytes() for p in tmp_path.iterdir()] == [rendered.content]  # whole, no scratch left

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(Site, "document", no_rendering)
    second = TestClient(create_app(catalog, page_store=tmp_path))  # another worker, same folder
    shared = second.get("/tei/d77.html")
    assert shared.content == rendered.content and shared.headers["etag"] == rendered.headers["etag"]


def test_without_a_page_store_nothing_is_written(catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert TestClient(create_app(catalog)).get("/tei/d77.html").status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_the_tei_of_a_one_document_file_is_served_without_building_its_model(tei_dir):
    from teikit.publish.catalog import Catalog
    from teikit.serve.dts import DTS

    catalog = Catalog([tei_dir])
    resource = catalog.resources[0]
    body = DTS(catalog).document({"resource": resource.identifier}).body
    assert body.startswith("<?xml") and "<teiHeader" in body
    assert "model" not in vars(resource.source)  # functools.cached_property keeps a built model there


def _served(catalog) -> list[str]:
    """Every document page of ``catalog`` and its DTS answers, as text."""
    import json

    from teikit.serve.dts import DTS

    site, dts = Site(catalog, searchable=True), DTS(catalog)
    out = []
    for resource in catalog.resources:
        out.append(site.document(resource))
        out.append(json.dumps(dts.collection({"id": resource.identifier})))
        out.append(json.dumps(dts.navigation({"resource": resource.identifier, "down": "-1"}, "u")))
        out.append(dts.document({"resource": resource.identifier}).body)
    return out


def test_frus_document_files_are_served_from_their_outline_as_from_their_model(dev_corpus, monkeypatch):
    from teikit.publish import catalog as catalog_module

    outlined = catalog_module.Catalog([dev_corpus])
    pages = _served(outlined)
    assert all("model" not in vars(r.source) for r in outlined.resources)  # no model was built
    monkeypatch.setattr(catalog_module, "outline", lambda root: None)  # every title from the model
    modelled = catalog_module.Catalog([dev_corpus])
    assert _served(modelled) == pages
    assert all("model" in vars(r.source) for r in modelled.resources)
