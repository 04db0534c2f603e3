"""``teikit serve``: the DTS 1.0 API and the reading site over TEI files, on uvicorn.

Needs the ``serve`` extra (``pip install 'teikit[serve]'``).  Bad input stops the
server before it starts with ``file:line: message`` and exit status 2.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from ..errors import TeikitError


@click.command("serve")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--index", "index", type=click.Path(), help="An index built by `teikit index` for "
              "search; without one, an index is built in the background after start-up.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback "
              "by default; anything else publishes the files to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--title", help="Title of the site (default: the collection's, or a count).")
def serve_command(paths: tuple[str, ...], index: str | None, host: str, port: int, title: str | None) -> None:
    """Serve TEI files (or folders of them): a reading site and the DTS API at /api/dts."""
    try:
        import uvicorn

        from ..files import expand_paths
        from ..publish.catalog import Catalog
        from ..serve.app import create_app
        from ..serve.search import Searcher, build_in_background
    except ModuleNotFoundError as exc:
        click.echo(f"teikit serve needs {exc.name}: pip install 'teikit[serve]'", err=True)
        sys.exit(2)
    scratch = None
    try:
        catalog = Catalog(paths, title=title)
        if index is None:  # build one while serving; the search page waits for it
            scratch = tempfile.TemporaryDirectory(prefix="teikit-serve-")
            index_file = Path(scratch.name) / "index.sqlite"
            build_in_background(expand_paths(paths), index_file)
        elif not Path(index).is_file():
            raise TeikitError("no such index (build it with: teikit index PATH... -o INDEX)", path=index)
        else:
            index_file = Path(index)
        searcher = Searcher(index_file)
    except TeikitError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    app = create_app(catalog, searcher)
    click.echo(f"teikit: serving {len(catalog.resources)} document(s) in {len(catalog.collections)} "
               f"collection(s) at http://{host}:{port}/ (DTS API: http://{host}:{port}/api/dts)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if scratch is not None:
            scratch.cleanup()


__all__ = ["serve_command"]
