"""``teikit export --format site``: the reading site as static files.

The pages are those ``teikit serve`` shows (:class:`teikit.publish.render.Site`).
Static files cannot search, so ``search.html`` says so and points to
``search-index.json``: one record per page of text and per note (document, page,
note, text) for a client-side or external search tool.  The whole site is written
to a temporary folder next to the output, flushed to disk and put in place of the old
one (:func:`teikit.batchwrite.install_folder`), so a failure leaves no half-written
site and never loses the old one.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

from ..batchwrite import install_folder
from ..errors import OutputError
from ..files import expand_paths
from ..outputs import OutputGuard, make_temp_dir, sweep_output_folders
from ..query import Corpus
from .catalog import Catalog
from .render import Site, collection_path, resource_path

SEARCH_INDEX = "search-index.json"


def search_records(catalog: Catalog, sources: Iterable[str | os.PathLike[str]]) -> list[dict[str, Any]]:
    """Records of ``search-index.json``: what ``teikit search`` searches, with each page's URL."""
    records = []
    for doc, (kind, page, note, text) in Corpus(list(sources)).search_units():
        resource = catalog.resource_of(str(doc.path) if doc.path else None, doc.id)
        records.append({
            "url": resource_path(resource) if resource is not None else None,
            "document": resource.identifier if resource is not None else doc.id,
            "page": page.n, "kind": kind, "note": note.n if note is not None else None, "text": text,
        })
    return records


def write_site(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], *,
               force: bool = False, title: str | None = None) -> int:
    """Write the site for ``paths`` to the folder ``output``; return the number of pages."""
    paths = list(paths)
    target = Path(output)
    OutputGuard([*paths, *expand_paths(paths)]).check_replace(
        target, force=force, what="a teikit site", ours=is_site)
    catalog = Catalog(paths, title=title)
    site = Site(catalog, searchable=False)
    pages = {"index.html": site.index(), "search.html": _search_page(site)}
    for collection in catalog.collections:
        pages[f"{collection_path(collection)}/index.html"] = site.collection(collection)
    for resource in catalog.resources:
        pages[resource_path(resource)] = site.document(resource)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_output_folders([target])
    scratch = make_temp_dir(target)
    try:
        for name, html in pages.items():
            path = scratch / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        (scratch / SEARCH_INDEX).write_text(
            json.dumps(search_records(catalog, paths), ensure_ascii=False), encoding="utf-8")
        install_folder(os.fspath(scratch), os.fspath(target))  # flushed; the old site kept until then
    except BaseException as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk: name the output (the error names a page, or none)
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
        raise
    return len(pages)


def is_site(path: Path) -> bool:
    """True for a folder this command wrote (``--force`` replaces nothing else)."""
    return path.is_dir() and (path / "index.html").is_file() and (path / SEARCH_INDEX).is_file()


def _search_page(site: Site) -> str:
    return site.search("", None, message=(
        "These pages are static files and cannot search. Every page of text and every note is in "
        f"{SEARCH_INDEX} (document, page, text) for a search tool; `teikit serve` searches them "
        "with snippets."))
