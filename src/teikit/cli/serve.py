"""``teikit serve``: the DTS 1.0 API and the reading site over TEI files, on uvicorn.

Needs the ``serve`` extra (``pip install 'teikit[serve]'``).  Bad input stops the
server before it starts with ``file:line: message`` and exit status 2.
"""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import click

from ..errors import InputError, TeikitError
from .common import CommandError, Console, console_options


@click.command("serve")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-i", "--index", "index", type=click.Path(), help="An index built by `teikit index` for "
              "search; without one, an index is built in the background after start-up.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback "
              "by default; anything else publishes the files to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("-t", "--title", help="Title of the site (default: the collection's, or a count).")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: one per CPU, "
              "at most 8).")
@console_options
def serve_command(paths: tuple[str, ...], index: str | None, host: str, port: int, title: str | None,
                  workers: int | None, console: Console) -> None:
    """Serve TEI files: a reading site and the DTS API.

    PATHS are TEI files or folders of them; the DTS API is at /api/dts.

    \b
    Examples:
      teikit serve tei/
      teikit index tei/ -o tei.sqlite && teikit serve tei/ -i tei.sqlite --port 8080
    """
    try:
        from ..files import expand_paths
        from ..publish.catalog import Catalog
        from ..serve.app import create_app
        from ..serve.runner import default_workers, memory_folder, serve, uvicorn_speedups
        from ..serve.search import Searcher, build_in_background
    except ModuleNotFoundError as exc:
        raise CommandError(f"teikit: error: serve needs {exc.name}: pip install 'teikit[serve]'") from None
    # the scratch folder holds, without --index, the index built while serving
    scratch = tempfile.TemporaryDirectory(prefix="teikit-serve-")
    shared: tempfile.TemporaryDirectory[str] | None = None
    try:
        skipped: list[InputError] = []
        catalog = Catalog(paths, title=title, skip=skipped.append)
        for problem in skipped:
            console.error(f"{problem} (skipped)")
        if not catalog.resources:
            raise TeikitError("no TEI document to serve" + (" (every file was skipped)" if skipped else ""))
        build = None
        if index is None:  # build one while serving; the search page waits for it
            index_file = Path(scratch.name) / "index.sqlite"
            build = functools.partial(build_in_background, expand_paths(paths), index_file)
        elif not Path(index).is_file():
            raise TeikitError("no such index (build it with: teikit index PATH... -o INDEX)", path=index)
        else:
            index_file = Path(index)
        workers = workers or default_workers()
        page_store: Path | None = None
        if workers > 1:  # pages one worker renders, the others read: in memory where there is such a folder
            shared = tempfile.TemporaryDirectory(prefix="teikit-serve-pages-", dir=memory_folder())
            page_store = Path(shared.name)
        app = create_app(catalog, Searcher(index_file), page_store)
        console.info(f"teikit: serving {len(catalog.resources)} document(s) in {len(catalog.collections)} "
                     f"collection(s) at http://{host}:{port}/ (DTS API: http://{host}:{port}/api/dts); "
                     f"{workers} worker(s)")
        missing = uvicorn_speedups()
        if missing:
            console.info(f"teikit: serving without {' and '.join(missing)}, which make uvicorn answer faster: "
                         "pip install 'teikit[serve]'")
        try:
            serve(app, host, port, workers, after_fork=build)
        except OSError as exc:
            raise CommandError(f"teikit: error: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    finally:
        if shared is not None:
            shared.cleanup()
        scratch.cleanup()


__all__ = ["serve_command"]
