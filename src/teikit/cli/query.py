"""``teikit query``, ``notes``, ``pages``, ``search`` and ``index``: ask questions of TEI files.

PATH arguments are TEI files or folders of ``*.xml`` files.  Output is text
(default), ``--format json`` or ``--format csv``.  Errors are one
``file:line: message`` line on stderr with exit status 2; no traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import click

from ..batch.cli import engine, scheduler_option

from ..errors import TeikitError
from .common import EXIT_PROBLEMS, Console, console_options, force_option, jobs_option, output_format

if TYPE_CHECKING:
    from ..query import Corpus, Document

_FORMAT = output_format(("text", "json", "csv"), help="Output format.")
_PATHS = click.argument("paths", nargs=-1, required=True, metavar="PATH...")
_DOCUMENT = click.option("--document", "-d", "document", metavar="ID",
                         help="Only this document (xml:id like d186, or number like 186).")


def _readable(paths: tuple[str, ...], console: Console) -> tuple[list[Path], bool]:
    """The files under ``paths`` that can be opened; the others (dangling links, no
    permission) are reported and skipped.  Returns the files (listed: not looked for again
    by what they are passed to) and whether any was skipped."""
    from ..files import ListedFiles, expand_paths
    files, skipped = ListedFiles(), False
    for path in expand_paths(paths):
        try:
            open(path, "rb").close()
        except OSError as exc:
            console.error(f"{path}: cannot read: {exc.strerror or exc} (skipped)")
            skipped = True
        else:
            files.append(path)
    return files, skipped


def _finish(skipped: bool) -> None:
    """Exit 1 once the output is complete if an input was skipped."""
    if skipped:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str],
          text_line: Optional[Callable[[dict[str, Any]], str]] = None) -> None:
    from ..query.formats import render
    click.echo(render(rows, fmt, columns, text_line), nl=False)


def _corpus(files: list[Path], console: Console) -> Corpus:
    from ..query import Corpus
    with console.progress("reading", len(files)) as progress:
        return Corpus(files, progress=progress)


def _documents(corpus: Corpus, document: Optional[str]) -> list[Document]:
    """The document asked for, else every unit: documents and the text outside them."""
    return [corpus[document]] if document else corpus.units


# -- teikit query ---------------------------------------------------------------------------

@click.command("query")
@_PATHS
@click.option("--xpath", "-x", "expression", required=True, metavar="EXPR",
              help="XPath 1.0 expression, prefix tei: bound, evaluated on each file's root.")
@_FORMAT
@console_options
def query_command(paths: tuple[str, ...], expression: str, fmt: str, console: Console) -> None:
    """Evaluate an XPath expression on TEI files.

    Each result is printed with its file, line, document and page.

    \b
    Examples:
      teikit query tei/ -x '//tei:persName'
      teikit query tei/d186.xml -x 'count(//tei:note)'
      teikit query tei/ -x '//tei:date/@when' -f csv > dates.csv
    """
    from lxml import etree

    from ..ns import NSMAP
    from ..query.document import load

    files, skipped = _readable(paths, console)
    rows: list[dict[str, Any]] = []
    with console.progress("querying", len(files)) as progress:
        for path in files:
            doc = load(path)
            progress(1)
            try:
                results = doc.element.getroottree().getroot().xpath(
                    expression, namespaces=NSMAP)
            except etree.XPathError as exc:
                raise TeikitError(f"invalid XPath {expression!r}: {exc}", path=str(path)) from None
            if not isinstance(results, list):
                results = [results]
            owners = {id(d.element): d for d in doc.documents}
            rows.extend(_xpath_row(path, item, owners) for item in results)

    def line(row: dict[str, Any]) -> str:
        where = f"{row['file']}:{row['line']}" if row["line"] else row["file"]
        place = " ".join(x for x in (row["document"], f"p. {row['page']}" if row["page"] else "") if x)
        return f"{where}: {place}: {row['value']}" if place else f"{where}: {row['value']}"

    _emit(rows, fmt, ["file", "line", "document", "page", "value"], line)
    _finish(skipped)


def _xpath_row(path: Path, item: Any, owners: dict[int, Any]) -> dict[str, Any]:
    """One XPath result: its value, and the line, document and page it is in."""
    from lxml import etree

    from ..query.pages import local_name
    row: dict[str, Any] = {"file": str(path), "line": None, "document": None, "page": None, "value": None}
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
    return row


# -- teikit notes ---------------------------------------------------------------------------

@click.command("notes")
@_PATHS
@_DOCUMENT
@click.option("--type", "note_type", metavar="TYPE", help="Only notes of this @type (e.g. source).")
@_FORMAT
@console_options
def notes_command(paths: tuple[str, ...], document: Optional[str], note_type: Optional[str], fmt: str,
                  console: Console) -> None:
    """List the notes of TEI documents.

    Each note with its number, id, type, the page of its anchor and its text.

    \b
    Examples:
      teikit notes tei/
      teikit notes tei/ -d d186 -t source
      teikit notes tei/ -f csv > notes.csv
    """
    files, skipped = _readable(paths, console)
    corpus = _corpus(files, console)
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
    _finish(skipped)


# -- teikit pages ---------------------------------------------------------------------------

@click.command("pages")
@_PATHS
@_DOCUMENT
@click.option("--page", "-p", "page_key", metavar="N",
              help="Only the pages numbered N, or the page whose <pb> has xml:id N (or is the N-th: pbN).")
@click.option("--notes/--no-notes", default=False, show_default=True,
              help="Add the footnotes printed on each page after its text.")
@_FORMAT
@console_options
def pages_command(paths: tuple[str, ...], document: Optional[str], page_key: Optional[str], notes: bool,
                  fmt: str, console: Console) -> None:
    """Print the text of each page of TEI documents.

    Pages are the text between <pb> milestones.

    \b
    Examples:
      teikit pages tei/d186.xml
      teikit pages tei/ -d d186 -p 405 --notes
      teikit pages tei/ -f json > pages.json
    """
    files, skipped = _readable(paths, console)
    corpus = _corpus(files, console)
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

    from ..query.document import label_names_key

    def block(row: dict[str, Any]) -> str:
        named = not row["id"] or label_names_key(row["page"], row["id"])  # the citation names it already
        return f"== {row['citation']}{'' if named else ' (' + row['id'] + ')'} ==\n{row['text']}\n"

    _emit(rows, fmt, ["document", "page", "id", "inferred", "citation", "text", "file"], block)
    _finish(skipped)


# -- teikit speeches / cast -----------------------------------------------------------------

@click.command("speeches")
@_PATHS
@_DOCUMENT
@click.option("--who", "who", metavar="ID", help="Only the speeches of this person (an id in @who).")
@_FORMAT
@console_options
def speeches_command(paths: tuple[str, ...], document: Optional[str], who: Optional[str], fmt: str,
                     console: Console) -> None:
    """List the speeches of TEI plays.

    Each <sp> with its act or scene, its speakers (@who and the printed label),
    the number of verse lines and words spoken, and the text (stage directions left out).

    \b
    Examples:
      teikit speeches play.xml
      teikit speeches plays/ --who hamlet -f csv > hamlet.csv
    """
    from ..query.display import SPEECH_COLUMNS, speech_rows

    files, skipped = _readable(paths, console)
    rows = [row for row in speech_rows(_documents(_corpus(files, console), document))
            if who is None or who in row["who"].split()]
    if not rows:
        console.warning("no speeches found" + (f" of {who!r}" if who else " (<sp>): are these plays?"))

    def line(row: dict[str, Any]) -> str:
        where = f"{row['path']}:{row['line']}: " if row["path"] else ""
        place = f"[{row['division']}] " if row["division"] else ""
        return f"{where}{place}{row['speaker'] or row['who'] or '?'}: {' / '.join(row['text'].splitlines())}"

    _emit(rows, fmt, SPEECH_COLUMNS, line)
    _finish(skipped)


@click.command("cast")
@_PATHS
@_FORMAT
@console_options
def cast_command(paths: tuple[str, ...], fmt: str, console: Console) -> None:
    """List the people of TEI plays and how much each speaks.

    The cast comes from the header's particDesc (person, personGrp), else from the
    castList; speeches, words and verse lines are counted from each <sp>'s @who.

    \b
    Examples:
      teikit cast play.xml
      teikit cast plays/ -f csv > cast.csv
    """
    from ..query.display import CAST_COLUMNS, cast_rows

    files, skipped = _readable(paths, console)
    rows = cast_rows(_corpus(files, console).units)
    if not rows:
        console.warning("no cast found (particDesc people or castList): are these plays?")

    def line(row: dict[str, Any]) -> str:
        facts = ", ".join(str(x) for x in (row["sex"], row["description"]) if x)
        speeches = "1 speech" if row["speeches"] == 1 else f"{row['speeches']} speeches"
        return f"{row['id'] or '-'}: {row['name']}{f' ({facts})' if facts else ''}: {speeches}, {row['words']} words"

    _emit(rows, fmt, CAST_COLUMNS, line)
    _finish(skipped)


# -- teikit search / index ------------------------------------------------------------------

@click.command("search")
@click.argument("query")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--index", "-i", "index", metavar="INDEX",
              help="Search this index (made by teikit index) instead of reading PATHs.")
@click.option("--limit", "-n", type=click.IntRange(min=1), help="At most this many hits.")
@_FORMAT
@console_options
def search_command(query: str, paths: tuple[str, ...], index: Optional[str], limit: Optional[int],
                   fmt: str, console: Console) -> None:
    """Find pages and notes containing every word of QUERY.

    "Quoted phrases" are matched whole.  With --index the SQLite FTS5 index is used;
    otherwise the PATHs are read and scanned.  Each hit is cited by document and page.

    \b
    Examples:
      teikit search "Bay of Pigs" tei/
      teikit search 'Castro "prime minister"' tei/ -n 5
      teikit index tei/ -o tei.sqlite && teikit search Castro -i tei.sqlite -f json
    """
    from ..query.search import Query
    if not Query.parse(query):
        raise click.UsageError("the query has no words to search for")
    if index and paths:
        raise click.UsageError("give either --index INDEX or PATHs, not both")
    skipped = False
    if index:
        from ..query.index import search_index, stale_sources
        for source in stale_sources(index):
            console.warning(f"{source}: warning: changed since the index {index} was built")
        hits = search_index(index, query, limit)
    elif paths:
        from ..query.corpus import search_files
        files, skipped = _readable(paths, console)
        hits = list(search_files(files, query, limit))
    else:
        raise click.UsageError("give PATHs to search or --index INDEX")
    rows = [hit.as_dict() for hit in hits]
    _emit(rows, fmt, ["citation", "document_id", "document_number", "volume", "page", "kind", "note",
                      "snippet", "path"],
          lambda row: f"{row['citation']}: {row['snippet']}")
    _finish(skipped)


@click.command("index")
@_PATHS
@click.option("--output", "-o", required=True, metavar="INDEX", help="The index file to write (SQLite).")
@force_option("Replace an existing index (never any other file).")
@jobs_option("Worker processes reading the files (default: all cores).")
@scheduler_option
@console_options
def index_command(paths: tuple[str, ...], output: str, force: bool, jobs: Optional[int],
                  scheduler: Optional[str], console: Console) -> None:
    """Build an SQLite full-text index of TEI files.

    The index (SQLite FTS5) serves teikit search --index and teikit serve --index.

    \b
    Examples:
      teikit index tei/ -o tei.sqlite
      teikit index tei/ -o tei.sqlite --force -j 2
    """
    from ..outputs import OutputGuard, is_sqlite, sweep_output_folders
    from ..query.index import build_index
    files, skipped = _readable(paths, console)
    OutputGuard([*paths, *files]).check_replace(output, force=force, ours=is_sqlite, what="an SQLite index")
    sweep_output_folders([output])
    from .. import batch
    with console.progress("indexing", len(files)) as progress, \
            engine(build_index, batch.build_index, scheduler) as build:
        stats = build(files, output, jobs=jobs, progress=progress)
    console.info(f"{output}: {stats.rows} pages and notes of {stats.units} document(s) "
                 f"and other units in {stats.files} file(s) indexed")
    _finish(skipped)
