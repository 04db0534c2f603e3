"""``teikit export`` and ``teikit verify``.

Errors are printed as ``file:line: message`` on stderr; exit status 2 for usage and
input/output errors, 1 when ``verify`` finds a bag invalid, 0 otherwise.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, NoReturn

import click

from ..errors import TeikitError

FORMATS = ("corpus", "bagit", "text", "html", "json", "site")


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _guard(func: Callable[[], int]) -> None:
    """Run ``func``; turn teikit and OS errors into one line on stderr, never a traceback."""
    try:
        code = func()
    except TeikitError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or '<output>'}: {exc.strerror or exc}")
    except Exception as exc:  # pragma: no cover - a bug; still no traceback for users
        _fail(f"teikit: internal error: {type(exc).__name__}: {exc}")
    sys.exit(code)


def _per_file_targets(docs, output: Path, suffix: str) -> dict[Path, object]:
    if len(docs) == 1 and not output.is_dir():
        return {output: docs[0]}
    targets: dict[Path, object] = {}
    for doc in docs:
        target = output / f"{doc.stem}{suffix}"
        if target in targets:
            raise TeikitError(f"two inputs would both be written to {target}", path=str(doc.path))
        targets[target] = doc
    return targets


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="corpus: one TEI file; bagit: a BagIt package; text: the converter's "
                   "plain-text format; html: one readable page; json: documented JSON; "
                   "site: a static reading site (a folder).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Output file (bagit: bag directory; text with several inputs: a directory).")
@click.option("--force", is_flag=True, help="Replace an existing output.")
@click.option("--layout", type=click.Choice(["teicorpus", "volume"]), default="teicorpus",
              show_default=True, help="corpus: a <teiCorpus>, or one <TEI> with a div per document.")
@click.option("--title", help="Title of the corpus / HTML page.")
@click.option("--organization", help="bagit: Source-Organization in bag-info.txt.")
@click.option("--description", help="bagit: External-Description in bag-info.txt.")
@click.option("--schema", type=click.Path(), help="bagit: validate against this XSD instead of "
              "the bundled teikit.xsd.")
@click.option("--skip-invalid", is_flag=True,
              help="Leave out (and report) inputs that cannot be exported; without it, any such input "
                   "stops the export before anything is written.")
def export_command(fmt: str, paths: tuple[str, ...], output: str, force: bool, layout: str,
                   title: str | None, organization: str | None, description: str | None,
                   schema: str | None, skip_invalid: bool) -> None:
    """Export TEI files (or directories of them) as FORMAT to OUTPUT."""

    def run() -> int:
        from ..export import writer
        from ..export.inputs import check_inputs, read_inputs

        out = Path(output)
        if fmt == "bagit":  # a bag packages the files as they are: no model of them is built
            files, skipped = check_inputs(paths, skip_invalid=skip_invalid)
            docs = []
        else:
            docs, skipped = read_inputs(paths, skip_invalid=skip_invalid)
            files = [doc.path for doc in docs]
        for problem in skipped:
            click.echo(f"{problem} (skipped)", err=True)
        inputs = [*paths, *files]
        if fmt == "bagit":
            from ..export.bagit_package import make_tei_bag
            result = make_tei_bag(files, out, force=force, schema=schema,
                                  organization=organization, description=description)
            state = "valid" if result.valid_tei else "INVALID (see data/validation-report.txt)"
            click.echo(f"{out}: bag of {len(result.files)} TEI file(s), checksums verified; TEI {state}",
                       err=True)
            return 1 if skipped else 0
        if fmt == "site":
            from ..publish.site import write_site
            pages = write_site(files, out, force=force, title=title)
            click.echo(f"{out}: {pages} page(s)", err=True)
            return 1 if skipped else 0
        if fmt == "corpus":
            from ..export.corpus import build_corpus
            result = build_corpus(docs, layout=layout, title=title)  # type: ignore[arg-type]
            writer.write_verified(out, result.to_bytes(), force=force, inputs=inputs)
            for item in result.unresolved:
                click.echo(f"{item} (warning)", err=True)
            click.echo(f"{out}: {sum(len(d.documents) for d in docs)} document(s) from {len(docs)} "
                       f"file(s); {result.rewritten} pointer(s) rewritten"
                       f"{', ids prefixed' if result.prefixed else ''}", err=True)
        elif fmt == "html":
            from ..export.html import render_html
            writer.write_verified(out, render_html(docs, title=title), force=force, inputs=inputs)
        elif fmt == "json":
            from ..export.json_export import render_json
            writer.write_verified(out, render_json(docs), force=force, inputs=inputs)
        else:
            from ..export.text import render_text
            targets = _per_file_targets(docs, out, ".txt")
            writer.write_all({path: render_text(doc) for path, doc in targets.items()}, force=force,
                             inputs=inputs)
        return 1 if skipped else 0

    _guard(run)


@click.command("verify")
@click.argument("bag", type=click.Path())
def verify_command(bag: str) -> None:
    """Check a bag made by `teikit export --format bagit`: checksums, completeness, TEI validity."""

    def run() -> int:
        from ..export.bagit_package import verify_bag
        result = verify_bag(bag)
        for problem in result.problems:
            click.echo(problem, err=True)
        if result.ok:
            click.echo(f"{bag}: valid bag; checksums verified; {result.files} TEI file(s) valid")
            return 0
        what = []
        if not result.integrity:
            what.append("integrity check failed")
        if not result.valid_tei:
            what.append("TEI payload is not valid")
        click.echo(f"{bag}: invalid bag: {'; '.join(what)}", err=True)
        return 1

    _guard(run)
