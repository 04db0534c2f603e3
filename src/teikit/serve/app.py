"""The ``teikit serve`` web application (Starlette): the DTS 1.0 API and the reading site.

``/api/dts`` and its ``collection``, ``navigation`` and ``document`` endpoints answer
JSON-LD (:mod:`teikit.serve.dts`); every other path is a page of the reading site
(:mod:`teikit.publish.render`) at the same relative paths as the static export:
``/``, ``/<collection>/``, ``/<collection>/<doc>.html`` and ``/search.html?q=``.
Rendered pages and API answers are kept in bounded caches: the catalog does not change
while serving, so a second request for the same URL costs no rendering.  With a
``page_store`` folder (``teikit serve`` gives one to all its worker processes) a page
rendered by one worker is written there and read by the others, so a page is
rendered once per server, not once per worker.  Every cached answer carries an
``ETag``; a request whose ``If-None-Match`` names it gets ``304 Not Modified``.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..caching import BoundedCache
from ..errors import TeikitError
from ..publish.catalog import Catalog
from ..publish.render import HITS_PER_PAGE, Site
from .dts import DTS, DTSError
from .search import Searcher

JSON_LD = "application/ld+json"
PAGE_CACHE_SIZE = 4096  # rendered pages kept (~20 KB each): 2,000 documents stay rendered
API_CACHE_SIZE = 8192  # API answers kept (~2-20 KB each): the navigation and document answers of 2,000 documents
STORED_PAGES_MAX = PAGE_CACHE_SIZE  # pages one worker writes to the shared folder: bounds its size on disk


class _Page:
    """A rendered page and its entity tag."""

    def __init__(self, body: bytes):
        self.body = body
        self.etag = _etag(body)


class _PageCache:
    """Rendered pages, the newest ``size`` in memory; with ``store``, also as files there, shared
    by the worker processes."""

    def __init__(self, size: int, store: Path | None):
        self.pages: BoundedCache[str, _Page] = BoundedCache(size)
        self.store = store
        self.stored = 0

    def get(self, key: str, render: Callable[[], str]) -> _Page:
        """The page at URL ``key``: kept, else stored by another worker, else ``render()``'s."""
        return self.pages.get(key, lambda: self._load(key, render))

    def _load(self, key: str, render: Callable[[], str]) -> _Page:
        if self.store is None:
            return _Page(render().encode())
        path = self.store / (hashlib.sha1(key.encode()).hexdigest() + ".html")
        try:
            return _Page(path.read_bytes())
        except FileNotFoundError:
            pass
        page = _Page(render().encode())
        if self.stored < STORED_PAGES_MAX:
            self.stored += 1
            scratch = path.with_name(f".{path.name}.{os.getpid()}")
            try:  # whole or not at all: another worker never reads half a page
                scratch.write_bytes(page.body)
                os.replace(scratch, path)
            except OSError:  # a full disk costs renders, never an answer
                scratch.unlink(missing_ok=True)
        return page


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _fresh(request: Request, etag: str) -> bool:
    """Whether the client already holds this answer (``If-None-Match``)."""
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    return wanted.strip() == "*" or etag in (tag.strip().removeprefix("W/") for tag in wanted.split(","))


def _not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag})


def _page_response(request: Request, page: _Page) -> Response:
    if _fresh(request, page.etag):
        return _not_modified(page.etag)
    return HTMLResponse(page.body, headers={"ETag": page.etag})


def _json(data: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type=JSON_LD)


def _parts(response: Response) -> tuple[bytes, int, str | None, dict[str, str]]:
    """What it takes to send ``response`` again (the length header is recomputed), with its ETag."""
    headers = {k: v for k, v in response.headers.items() if k not in {"content-length", "content-type"}}
    body = bytes(response.body)
    headers["ETag"] = _etag(body)
    return body, response.status_code, response.media_type, headers


def create_app(catalog: Catalog, searcher: Searcher | None = None, page_store: Path | None = None) -> Starlette:
    """The application over ``catalog``; without a ``searcher`` the search page says search is off.

    ``page_store``: an empty folder where rendered pages are shared between worker processes.
    """
    dts = DTS(catalog)
    site = Site(catalog, searchable=True)
    cache = _PageCache(PAGE_CACHE_SIZE, page_store)
    answers: BoundedCache[str, Any] = BoundedCache(API_CACHE_SIZE)  # (body, status, media type, headers) by URL; errors are not kept

    # handlers are coroutines: their work is CPU-bound and short, so a hop to a worker
    # thread would only add latency (the GIL lets one thread render at a time anyway)
    def api(handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if any(len(request.query_params.getlist(k)) > 1 for k in request.query_params):
                return _json(DTSError(400, "a parameter is given more than once").as_json(), 400)
            try:
                body, status, media_type, headers = answers.get(str(request.url), lambda: _parts(handler(request)))
            except DTSError as exc:
                return _json(exc.as_json(), exc.status)
            if _fresh(request, headers["ETag"]):
                return _not_modified(headers["ETag"])
            return Response(body, status_code=status, media_type=media_type, headers=headers)
        return endpoint

    def served(request: Request) -> DTS:
        return dts.at(str(request.base_url))  # the scheme and Host header the client used

    def entry(request: Request) -> Response:
        return _json(served(request).entry())

    def collection(request: Request) -> Response:
        return _json(served(request).collection(dict(request.query_params)))

    def navigation(request: Request) -> Response:
        return _json(served(request).navigation(dict(request.query_params), str(request.url)))

    def document(request: Request) -> Response:
        answer = served(request).document(dict(request.query_params))
        return Response(answer.body, media_type=answer.media_type, headers={"Link": answer.link})

    def not_found(request: Request, message: str) -> Response:
        depth = request.url.path.count("/") - 1  # relative links must work from where it is asked
        return HTMLResponse(site.message("Not found", message, depth), status_code=404)

    async def index(request: Request) -> Response:
        return _page_response(request, cache.get("/", site.index))

    async def collection_page(request: Request) -> Response:
        found = catalog.collection(request.path_params["collection"])
        if found is None:
            return not_found(request, f"There is no collection {request.path_params['collection']!r}.")
        return _page_response(request, cache.get(f"c/{found.identifier}", lambda: site.collection(found)))

    async def collection_slash(request: Request) -> Response:
        return RedirectResponse(f"{request.url.path}/", status_code=308)

    async def document_page(request: Request) -> Response:
        key = f"{request.path_params['collection']}/{request.path_params['doc']}"
        found = catalog.resource(key)
        if found is None:
            return not_found(request, f"There is no document {key!r}.")
        return _page_response(request, cache.get(f"d/{key}", lambda: site.document(found)))

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return HTMLResponse(site.search("", None, message="Type words to find; \"quotes\" find a phrase."))
        if searcher is None:
            return HTMLResponse(site.search(query, None, message="Search is not available."), status_code=503)
        if searcher.error:
            return HTMLResponse(site.search(query, None, message=f"Search is unavailable: {searcher.error}"),
                                status_code=503)
        if not searcher.ready:
            return HTMLResponse(site.search(query, None, message="The search index is being built; "
                                            "try again in a moment."), status_code=503,
                                headers={"Retry-After": "5"})
        try:
            hits = searcher.search(query, limit=HITS_PER_PAGE + 1)
        except TeikitError as exc:
            return HTMLResponse(site.search(query, None, message=str(exc)), status_code=503)
        rows = []
        for hit in hits[:HITS_PER_PAGE]:
            resource = catalog.resource_of(hit.path, hit.document_id)
            if resource is not None:
                rows.append((resource, hit.page, hit.citation_suffix, hit.snippet))
        return HTMLResponse(site.search(query, rows, more=len(hits) > HITS_PER_PAGE))

    routes = [
        Route("/api/dts", api(entry)), Route("/api/dts/", api(entry)),
        Route("/api/dts/collection", api(collection)), Route("/api/dts/collection/", api(collection)),
        Route("/api/dts/navigation", api(navigation)), Route("/api/dts/navigation/", api(navigation)),
        Route("/api/dts/document", api(document)), Route("/api/dts/document/", api(document)),
        Route("/", index), Route("/index.html", index), Route("/search.html", search),
        Route("/{collection}", collection_slash), Route("/{collection}/", collection_page),
        Route("/{collection}/index.html", collection_page),
        Route("/{collection}/{doc}.html", document_page),
    ]
    app = Starlette(routes=routes)
    app.state.catalog = catalog
    app.state.searcher = searcher
    return app
