"""``teikit query``, ``notes``, ``pages``, ``search`` and ``index``: ask questions of TEI files.

PATH arguments are TEI files or folders of ``*.xml`` files.  Output is text
(default), ``--format json`` or ``--format csv``.  Errors are one
``file:line: message`` line on stderr with exit status 2; no traceback.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, NoReturn

import click

from ..batch.cli import engine, scheduler_option
from ..errors import TeikitError

_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
                       show_default=True, help="Output format.")
_PATHS = click.argument("paths", nargs=-1, required=True, metavar="PATH...")
_DOCUMENT = click.option("--document", "-d", "document", metavar="ID",
                         help="Only this document (xml:id like d186, or number like 186).")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(2)


def _guard(run: Callable[[], None]) -> None:
    """Run a command body; teikit errors become ``file:line: message`` and exit 2."""
    try:
        run()
    except KeyError as exc:  # (a TeikitKeyError too: a lookup names no file)
        _fail(f"teikit: {exc.args[0] if exc.args else exc}")
    except TeikitError as exc:
        _fail(str(exc))
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # an output that cannot be written
        _fail(f"{exc.filename or 'teikit'}: {exc.strerror or exc}")


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str],
          text_line: Callable[[dict[str, Any]], str] | None = None) -> None:
    from ..query.formats import render
    click.echo(render(rows, fmt, columns, text_line), nl=False)


def _corpus(paths: tuple[str, ...]):
    from ..query import Corpus
    return Corpus(list(paths))


def _documents(corpus, document: str | None):
    """The document asked for, else every unit: documents and the text outside them."""
    return [corpus[document]] if document else corpus.units


# -- teikit query ---------------------------------------------------------------------------

@click.command("query")
@_PATHS
@click.option("--xpath", "-x", "expression", required=True, metavar="EXPR",
              help="XPath 1.0 expression, prefix tei: bound, evaluated on each file's root.")
@_FORMAT
def query_command(paths: tuple[str, ...], expression: str, fmt: str) -> None:
    """Evaluate an XPath expression on TEI files and print each result with where it is."""
    def run() -> None:
        from lxml import etree

        from ..files import expand_paths
        from ..ns import NSMAP
        from ..query.document import load
        from ..query.pages import local_name

        rows = []
        for path in expand_paths(paths):
            doc = load(path)
            try:
                results = doc.element.getroottree().getroot().xpath(
                    expression, namespaces=NSMAP)
            except etree.XPathError as exc:
                raise TeikitError(f"invalid XPath {expression!r}: {exc}", path=str(path)) from None
            if not isinstance(results, list):
                results = [results]
            owners = {id(d.element): d for d in doc.documents}
            for item in results:
                row: dict[str, Any] = {"file": str(path), "line": None, "document": None,
                                       "page": None, "value": None}
                element = item if isinstance(item, etree._Element) else getattr(item, "getparent", lambda: None)()
                if isinstance(element, etree._Element):
                    row["line"] = element.sourceline
                    owner = next((owners[id(a)] for a in element.iterancestors() if id(a) in owners),
                                 owners.get(id(element)))
                    if owner is not None:
                        row["document"] = owner.id
                        page = owner.page_of(element)
                        row["page"] = page.n if page is not None else None
                if isinstance(item, etree._Element):
                    row["value"] = " ".join("".join(item.itertext()).split()) if isinstance(item.tag, str) else str(item)
                    row["element"] = local_name(item.tag) if isinstance(item.tag, str) else None
                elif isinstance(item, bool):
                    row["value"] = "true" if item else "false"
                elif isinstance(item, float) and item.is_integer():
                    row["value"] = str(int(item))
                else:
                    row["value"] = str(item)
                rows.append(row)

        def line(row: dict[str, Any]) -> str:
            where = f"{row['file']}:{row['line']}" if row["line"] else row["file"]
            place = " ".join(x for x in (row["document"], f"p. {row['page']}" if row["page"] else "") if x)
            return f"{where}: {place}: {row['value']}" if place else f"{where}: {row['value']}"

        _emit(rows, fmt, ["file", "line", "document", "page", "value"], line)
    _guard(run)


# -- teikit notes ---------------------------------------------------------------------------

@click.command("notes")
@_PATHS
@_DOCUMENT
@click.option("--type", "note_type", metavar="TYPE", help="Only notes of this @type (e.g. source).")
@_FORMAT
def notes_command(paths: tuple[str, ...], document: str | None, note_type: str | None, fmt: str) -> None:
    """List the notes of TEI documents: number, id, type, page of the anchor, text."""
    def run() -> None:
        corpus = _corpus(paths)
        rows = []
        for doc in _documents(corpus, document):
            for note in doc.notes:
                if note_type is not None and note.type != note_type:
                    continue
                rows.append({
                    "document": doc.id, "number": doc.number, "n": note.n, "id": note.id,
                    "type": note.type, "page": note.page.n, "pages": " ".join(p.n or "" for p in note.pages),
                    "citation": note.cite(), "anchor": note.context[-60:], "text": note.text,
                    "file": str(doc.path) if doc.path else None,
                })

        def line(row: dict[str, Any]) -> str:
            kind = f" [{row['type']}]" if row["type"] else ""
            return f"{row['citation']}{kind}: {' / '.join(row['text'].splitlines())}"

        _emit(rows, fmt, ["document", "n", "id", "type", "page", "pages", "citation", "anchor", "text",
                          "file"], line)
    _guard(run)


# -- teikit pages ---------------------------------------------------------------------------

@click.command("pages")
@_PATHS
@_DOCUMENT
@click.option("--page", "-p", "page_key", metavar="N",
              help="Only the pages numbered N, or the page whose <pb> has xml:id N (or is the N-th: pbN).")
@click.option("--notes/--no-notes", default=False, show_default=True,
              help="Add the footnotes printed on each page after its text.")
@_FORMAT
def pages_command(paths: tuple[str, ...], document: str | None, page_key: str | None, notes: bool,
                  fmt: str) -> None:
    """Print the text of each page (between <pb> milestones) of TEI documents."""
    def run() -> None:
        corpus = _corpus(paths)
        rows = []
        for doc in _documents(corpus, document):
            pages = [doc.page(page_key)] if page_key is not None and document else doc.pages
            for page in pages:
                if page_key is not None and page_key not in (page.n, page.key):
                    continue
                rows.append({
                    "document": doc.id, "page": page.n, "id": page.key, "inferred": page.inferred,
                    "citation": page.cite(document=True),
                    "text": page.text_with_notes if notes else page.text,
                    "file": str(doc.path) if doc.path else None,
                })
        if page_key is not None and not rows:
            raise TeikitError(f"no page {page_key!r}", path=", ".join(paths))

        def block(row: dict[str, Any]) -> str:
            pb = f" ({row['id']})" if row["id"] else ""
            return f"== {row['citation']}{pb} ==\n{row['text']}\n"

        _emit(rows, fmt, ["document", "page", "id", "inferred", "citation", "text", "file"], block)
    _guard(run)


# -- teikit search / index ------------------------------------------------------------------

@click.command("search")
@click.argument("query")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--index", "-i", "index", metavar="INDEX",
              help="Search this index (made by teikit index) instead of reading PATHs.")
@click.option("--limit", "-n", type=click.IntRange(min=1), help="At most this many hits.")
@_FORMAT
def search_command(query: str, paths: tuple[str, ...], index: str | None, limit: int | None,
                   fmt: str) -> None:
    """Find pages and notes containing every word of QUERY ("quoted phrases" too).

    With --index the SQLite FTS5 index is used; otherwise the PATHs are read and scanned.
    Each hit is cited by document and page.
    """
    def run() -> None:
        from ..query.search import Query
        if not Query.parse(query):
            raise click.UsageError("the query has no words to search for")
        if index and paths:
            raise click.UsageError("give either --index INDEX or PATHs, not both")
        if index:
            from ..query.index import search_index, stale_sources
            for source in stale_sources(index):
                click.echo(f"{source}: warning: changed since the index {index} was built", err=True)
            hits = search_index(index, query, limit)
        elif paths:
            from ..query.corpus import search_files
            hits = list(search_files(paths, query, limit))
        else:
            raise click.UsageError("give PATHs to search or --index INDEX")
        rows = [hit.as_dict() for hit in hits]
        _emit(rows, fmt, ["citation", "document_id", "document_number", "volume", "page", "kind", "note",
                          "snippet", "path"],
              lambda row: f"{row['citation']}: {row['snippet']}")
    _guard(run)


@click.command("index")
@_PATHS
@click.option("--output", "-o", required=True, metavar="INDEX", help="The index file to write (SQLite).")
@click.option("--force", "-f", is_flag=True, help="Replace an existing index (never any other file).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes reading the files (default: all cores).")
@scheduler_option
def index_command(paths: tuple[str, ...], output: str, force: bool, jobs: int | None,
                  scheduler: str | None) -> None:
    """Build an SQLite FTS5 full-text index of TEI files for teikit search --index."""
    def run() -> None:
        from ..files import expand_paths
        from ..outputs import OutputGuard, is_sqlite, sweep_output_folders
        from .. import batch
        from ..query.index import build_index
        OutputGuard([*paths, *expand_paths(paths)]).check_replace(
            output, force=force, ours=is_sqlite, what="an SQLite index")
        sweep_output_folders([output])
        with engine(build_index, batch.build_index, scheduler) as build:
            stats = build(paths, output, jobs=jobs)
        click.echo(f"{output}: {stats.rows} pages and notes of {stats.units} document(s) "
                   f"and other units in {stats.files} file(s) indexed")
    _guard(run)
