"""``teikit validate``: schemas + integrity rules for TEI files, for people and CI.

Exit codes: 0 valid, 1 invalid (unreadable and not well-formed files included), 2 usage
error (missing file, unusable schema, report not written), 130 interrupted.
"""
from __future__ import annotations

import os
import sys

import click

from ..errors import TeikitError


class _Progress:
    """click progress bar on stderr, only for a terminal and more than a handful of files."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None

    def start(self, total: int) -> None:
        if self.enabled and total > 8:
            self._bar = click.progressbar(length=total, label="validating", file=sys.stderr)
            self._bar.__enter__()

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("-s", "--schema", "schemas", multiple=True, metavar="FILE",
              help="Schema to validate against (.xsd, .rng, .rnc, .sch); repeatable. "
                   "Default: the bundled teikit profile.")
@click.option("--tei-all", "tei_all", metavar="PATH",
              help="Also validate against an official tei_all schema (file, or a folder holding tei_all.rng).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--force", is_flag=True, help="Replace an existing report file (never an input).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--integrity/--no-integrity", default=True, show_default=True,
              help="Check xml:ids, ref/ptr targets, note numbering and page order.")
@click.option("--refs", type=click.Choice(["error", "warning", "off"]), default="warning", show_default=True,
              help="What a #target that no file checked defines is; use 'error' when checking a whole corpus.")
def validate_command(paths: tuple[str, ...], schemas: tuple[str, ...], tei_all: str | None, fmt: str,
                     output: str | None, force: bool, jobs: int | None, integrity: bool, refs: str) -> None:
    """Validate TEI files (PATHS: files, folders, globs) and report every problem.

    Exit status: 0 valid, 1 invalid (an unreadable or not well-formed file is a problem
    found: 1), 2 usage error or a report that cannot be written, 130 interrupted.
    """
    from ..outputs import OutputGuard, sweep_output_folders
    from ..validation import render
    from ..validation.runner import discover, run
    from ..xmlio import atomic_write, check_well_formed

    progress = _Progress(enabled=sys.stderr.isatty() and fmt != "github")
    try:
        files = discover(paths)
        if output:
            OutputGuard([*paths, *files, *schemas]).check_replace(output, force=force)
            sweep_output_folders([output])
        progress.start(len(files))
        report = run(files, list(schemas) or None, integrity_checks=integrity, tei_all=tei_all,
                     jobs=jobs, refs=refs, progress=progress)  # type: ignore[arg-type]
    except TeikitError as exc:
        progress.close()
        click.echo(f"teikit validate: error: {exc}", err=True)
        sys.exit(2)
    progress.close()
    text = render(report, fmt)
    if output:
        try:
            if fmt == "junit":
                check_well_formed(text.encode("utf-8"), name=output)
            atomic_write(output, text)
        except TeikitError as exc:
            click.echo(f"teikit validate: error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:
            click.echo(f"teikit validate: error: cannot write {output}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(report.summary(), err=True)
    else:
        click.echo(text, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from ..validation.reporters import render_markdown_summary

        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
                handle.write(render_markdown_summary(report))
        except OSError:
            pass
    sys.exit(0 if report.ok else 1)
