"""``teikit validate``: schemas + integrity rules for TEI files, for people and CI.

Exit codes: 0 valid, 1 invalid (unreadable and not well-formed files included), 2 usage
error (missing file, unusable schema, report not written), 130 interrupted.
"""
from __future__ import annotations

import os

import click

from ..batch.cli import engine, scheduler_option

from .common import CommandError, Console, console_options, force_option, jobs_option, output_format


@click.command("validate")
@click.argument("paths", nargs=-1)
@click.option("-s", "--schema", "schemas", multiple=True, metavar="FILE",
              help="Schema to validate against (.xsd, .rng, .rnc, .sch); repeatable. "
                   "Default: the FRUS profile for FRUS files (see --profile).")
@click.option("--tei-all", "tei_all", metavar="PATH",
              help="Validate against an official tei_all schema (file, or a folder holding tei_all.rng).")
@click.option("--profile", type=click.Choice(["auto", "frus", "none"]),
              help="FRUS conventions (bundled teikit schema, note and page numbering): for FRUS files "
                   "(auto), every file (frus) or none. Default: auto without a schema, else none.")
@output_format(("text", "json", "junit", "github", "sarif"),
               help="Report format (sarif: SARIF 2.1.0, for code-scanning services).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@force_option("Replace an existing report file (never an input).")
@jobs_option()
@click.option("--integrity/--no-integrity", default=None,
              help="Check xml:ids and ref/ptr targets (and the profile's rules). Default: on.")
@click.option("--refs", type=click.Choice(["error", "warning", "off"]),
              help="What a #target that no file checked defines is (default: warning); "
                   "use 'error' when checking a whole corpus.")
@click.option("--known-ids", "known_ids", multiple=True, metavar="FILE",
              help="Ids that exist outside the files checked: a text file (one per line) or TEI "
                   "files/folders (their xml:ids); repeatable.")
@click.option("--id-pattern", "id_patterns", multiple=True, metavar="REGEX",
              help="Ids matching REGEX (whole, e.g. 'd\\d+') exist outside the files checked; repeatable.")
@click.option("--xinclude-root", "xinclude_roots", multiple=True, metavar="DIR",
              help="A folder XIncludes may read besides each file's own folder tree; repeatable.")
@click.option("--xml-model/--no-xml-model", "xml_model", default=None,
              help="Also check each file against the schemas its <?xml-model?> instructions name "
                   "(local files; URLs through --schema-map, tei_all's through --tei-all).")
@click.option("--schema-map", "schema_map", multiple=True, metavar="URL=PATH",
              help="A local copy of a schema URL named in <?xml-model?> (teikit never downloads); "
                   "repeatable.")
@click.option("--all", "show_all", is_flag=True,
              help="Text output: list every diagnostic instead of grouping repeated ones.")
@click.option("--no-config", is_flag=True, help="Ignore teikit.toml / [tool.teikit] in pyproject.toml.")
@scheduler_option
@console_options
def validate_command(paths: tuple[str, ...], schemas: tuple[str, ...], tei_all: str | None,
                     profile: str | None, fmt: str, output: str | None, force: bool, jobs: int | None,
                     integrity: bool | None, refs: str | None, known_ids: tuple[str, ...],
                     id_patterns: tuple[str, ...], xinclude_roots: tuple[str, ...],
                     xml_model: bool | None, schema_map: tuple[str, ...], show_all: bool,
                     no_config: bool, scheduler: str | None, console: Console) -> None:
    """Validate TEI files and report every problem.

    PATHS are files, folders and globs.  Options not given come from the nearest
    teikit.toml or pyproject.toml [tool.teikit.validate] (its `paths` are checked when
    no PATHS are given).

    \b
    Examples:
      teikit validate tei/
      teikit validate tei/ --refs error -f junit -o report.xml
      teikit validate -s schema/teikit.rng letter.xml
      teikit validate tei/ --xml-model --tei-all schemas/   (the schemas each file names)
      teikit validate -f github          (in CI: annotations; paths from pyproject.toml)
      teikit validate tei/ -f sarif -o teikit.sarif   (GitHub code scanning: upload-sarif)

    Exit status: 0 valid, 1 invalid, 2 usage error or a report that cannot be
    written, 130 interrupted.
    """
    from ..config import Config, find_config
    from ..outputs import OutputGuard, sweep_output_folders
    from ..validation import render
    from ..validation.integrity import ExternalIds, load_known_ids
    from ..validation.runner import discover, run
    from ..validation.settings import from_config
    from ..validation.xinclude import IncludePolicy
    from ..validation.xml_model import XmlModelPolicy
    from ..xmlio import atomic_write, check_well_formed
    from .. import batch

    settings = from_config(Config() if no_config else find_config())
    if schemas or tei_all:  # named on the command line: exactly these
        settings.schemas, settings.tei_all = list(schemas), tei_all
    if not (paths or settings.paths):
        raise click.UsageError("no PATHS given, and no `paths` in [tool.teikit.validate]")
    files = discover(paths or settings.paths)
    external = ExternalIds(load_known_ids([*settings.known_ids, *known_ids]),
                           (*settings.id_patterns, *id_patterns))
    if integrity is None:
        integrity = settings.integrity is not False
    mapped = dict(settings.schema_map)
    for pair in schema_map:
        url, sep, local = pair.rpartition("=")
        if not (sep and url and local):
            raise click.BadParameter(f"{pair!r}: give URL=PATH", param_hint="--schema-map")
        mapped[url] = local
    model = XmlModelPolicy(bool(settings.xml_model if xml_model is None else xml_model), tuple(mapped.items()))
    if output:
        OutputGuard([*(paths or settings.paths), *files, *settings.schemas]).check_replace(
            output, force=force)
        sweep_output_folders([output])
    with console.progress("validating", len(files)) as progress, \
            engine(run, batch.validate_files, scheduler) as check:
        report = check(files, settings.schemas, tei_all=settings.tei_all, profile=profile or settings.profile,
                       integrity_checks=integrity, jobs=jobs, refs=refs or settings.refs or "warning",
                       external=external, includes=IncludePolicy((*settings.xinclude_roots, *xinclude_roots)),
                       xml_model=model, progress=progress)
    text = render(report, fmt, group=not show_all)
    if output:
        if fmt == "junit":
            check_well_formed(text.encode("utf-8"), name=output)
        try:
            atomic_write(output, text)
        except OSError as exc:
            raise CommandError(f"{output}: cannot write the report: {exc.strerror or exc}") from None
        console.info(report.summary())
    else:
        click.echo(text, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from ..validation.reporters import render_markdown_summary

        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
                handle.write(render_markdown_summary(report))
        except OSError:
            pass
    if not report.ok:
        raise click.exceptions.Exit(1)
