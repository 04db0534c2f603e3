"""``teikit export`` and ``teikit verify``.

Errors are printed as ``file:line: message`` on stderr; exit status 2 for usage and
input/output errors, 1 when ``verify`` finds a bag invalid or ``--skip-invalid`` left
an input out, 0 otherwise.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..batch.cli import export as export_batch, scheduler_from_environment, scheduler_option

from .common import EXIT_PROBLEMS, Console, console_options, force_option, output_format

FORMATS = ("corpus", "bagit", "text", "html", "json", "site")


if TYPE_CHECKING:
    from ..export.corpus import Layout  # click.Choice below admits only its values
    from ..export.inputs import Input


@click.command("export")
@output_format(FORMATS, default=None, required=True,
              help="corpus: one TEI file; bagit: a BagIt package; text: the converter's "
                   "plain-text format; html: one readable page; json: documented JSON; "
                   "site: a static reading site (a folder).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Output file (bagit: bag directory; text with several inputs: a directory).")
@force_option("Replace an existing output (never an input).")
@click.option("-l", "--layout", type=click.Choice(["teicorpus", "volume"]), default="teicorpus",
              show_default=True, help="corpus: a <teiCorpus>, or one <TEI> with a div per document.")
@click.option("-t", "--title", help="Title of the corpus / HTML page.")
@click.option("--organization", help="bagit: Source-Organization in bag-info.txt.")
@click.option("--description", help="bagit: External-Description in bag-info.txt.")
@click.option("-s", "--schema", type=click.Path(), help="bagit: validate against this XSD instead of "
              "the bundled teikit.xsd.")
@click.option("--skip-invalid", is_flag=True,
              help="Leave out (and report) inputs that cannot be exported; without it, any such input "
                   "stops the export before anything is written.")
@scheduler_option
@console_options
def export_command(fmt: str, paths: tuple[str, ...], output: str, force: bool, layout: Layout,
                   title: str | None, organization: str | None, description: str | None,
                   schema: str | None, skip_invalid: bool, scheduler: str | None, console: Console) -> None:
    """Export TEI files as a corpus, bag, text, HTML, JSON or a site.

    PATHS are TEI files or folders of them; the result goes to OUTPUT (-o).

    \b
    Examples:
      teikit export -f corpus tei/ -o volume.xml -t "FRUS 1961-1963"
      teikit export -f bagit tei/ -o frus-bag --organization "Office of the Historian"
      teikit export -f text tei/ -o plain/
      teikit export -f html tei/d186.xml -o d186.html
      teikit export -f json tei/ -o corpus.json --skip-invalid
    """
    if fmt == "json" or (scheduler and not scheduler_from_environment()):  # json: teikit.batch streams it
        from ..files import expand_paths
        with console.progress("reading", len(expand_paths(paths))) as progress:
            code = export_batch(scheduler, fmt, paths, output, force=force, skip_invalid=skip_invalid,
                                progress=progress)
    else:
        code = _export(fmt, paths, output, force, layout, title, organization, description, schema,
                       skip_invalid, console)
    if code:
        raise click.exceptions.Exit(code)


def _export(fmt: str, paths: tuple[str, ...], output: str, force: bool, layout: Layout,
            title: str | None, organization: str | None, description: str | None,
            schema: str | None, skip_invalid: bool, console: Console) -> int:
    """Write the export; the exit status: 1 if --skip-invalid left an input out, else 0."""
    from ..export import writer
    from ..export.inputs import check_inputs, read_inputs
    from ..files import expand_paths

    out = Path(output)
    docs: list[Input] = []
    files: list[Path] = []
    listed = expand_paths(paths)
    with console.progress("reading", len(listed)) as progress:
        if fmt == "text":  # each file read and rendered in a worker, then all written
            from ..export.text import export_text
            skipped = export_text(paths, out, force=force, skip_invalid=skip_invalid, progress=progress)
        elif fmt in ("bagit", "site"):  # the files as they are (a site reads them itself): no model built
            files, skipped = check_inputs(listed, skip_invalid=skip_invalid, progress=progress)
        else:  # corpus, html: each file parsed here; its model built only if its title needs it
            docs, skipped = read_inputs(listed, skip_invalid=skip_invalid, progress=progress)
            files = [doc.path for doc in docs]
    for problem in skipped:
        console.error(f"{problem} (skipped)")
    code = EXIT_PROBLEMS if skipped else 0
    if fmt == "text":  # written above
        return code
    inputs: list[str | Path] = [*paths, *files]
    if fmt == "bagit":
        from ..export.bagit_package import make_tei_bag
        bag = make_tei_bag(files, out, force=force, schema=schema,
                           organization=organization, description=description)
        state = "valid" if bag.valid_tei else "INVALID (see data/validation-report.txt)"
        console.info(f"{out}: bag of {len(bag.files)} TEI file(s), checksums verified; TEI {state}")
    elif fmt == "site":
        from ..publish.site import write_site
        pages = write_site(files, out, force=force, title=title)
        console.info(f"{out}: {pages} page(s)")
    elif fmt == "corpus":
        from ..export.corpus import build_corpus
        result = build_corpus(docs, layout=layout, title=title, keep_inputs=False)  # docs are not read again
        writer.write_verified(out, result.to_bytes(), force=force, inputs=inputs, tree=result.tree.getroot())
        console.warnings(result.warning_lines())
        console.info(f"{out}: {sum(d.document_count for d in docs)} document(s) from {len(docs)} "
                     f"file(s); {result.rewritten} pointer(s) rewritten"
                     f"{', ids prefixed' if result.prefixed else ''}")
    else:  # html (text is written above; json is streamed by teikit.batch: see export_command)
        from ..export.html import render_html_bytes
        writer.write_verified(out, render_html_bytes(docs, title=title, keep_inputs=False), force=force,
                              inputs=inputs)
    return code


@click.command("verify")
@click.argument("bag", type=click.Path())
@console_options
def verify_command(bag: str, console: Console) -> None:
    """Check a bag made by teikit export --format bagit.

    Checks the checksums, that the bag is complete, and that its TEI is valid.

    \b
    Examples:
      teikit verify frus-bag/
    """
    from ..export.bagit_package import verify_bag
    result = verify_bag(bag)
    for problem in result.problems:  # Diagnostics: file:line: error: message
        console.error(str(problem))
    if result.ok:
        console.info(f"{bag}: valid bag; checksums verified; {result.files} TEI file(s) valid")
        return
    what = []
    if not result.integrity:
        what.append("integrity check failed")
    if not result.valid_tei:
        what.append("TEI payload is not valid")
    console.error(f"{bag}: invalid bag: {'; '.join(what)}")
    raise click.exceptions.Exit(EXIT_PROBLEMS)
