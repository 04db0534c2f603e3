"""The ``teikit`` command line.

Each sub-command lives in its own module under :mod:`teikit.cli` and is only
imported when it is run, so ``teikit convert`` does not pay for loading the
validation or query machinery.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import signal
import sys

import click

from .._version import __version__

# command name -> "module:attribute" (relative to this package)
COMMANDS = {
    "convert": "convert:convert_command",
    "validate": "validate:validate_command",
    "query": "query:query_command",
    "notes": "query:notes_command",
    "pages": "query:pages_command",
    "search": "query:search_command",
    "index": "query:index_command",
    "export": "export:export_command",
    "verify": "export:verify_command",
    "serve": "serve:serve_command",
}

# command name -> its line in `teikit --help`, so that the list needs no command module
# imported (a test checks each against the command's own help)
SUMMARIES = {
    "convert": "Convert plain-text documents to TEI.",
    "validate": "Validate TEI files and report every problem.",
    "query": "Evaluate an XPath expression on TEI files.",
    "notes": "List the notes of TEI documents.",
    "pages": "Print the text of each page of TEI documents.",
    "search": "Find pages and notes containing every word of QUERY.",
    "index": "Build an SQLite full-text index of TEI files.",
    "export": "Export TEI files as a corpus, bag, text, HTML, JSON or a site.",
    "verify": "Check a bag made by teikit export --format bagit.",
    "serve": "Serve TEI files: a reading site and the DTS API.",
}

HELP_WIDTH = 100  # wide enough that no option's help is cut, narrow enough for a terminal


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use (``--help`` imports none)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES[name]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        """Run the sub-command; whatever it raises leaves as one message and an exit code."""
        from .common import run_command
        return run_command(lambda: super(LazyGroup, self).invoke(ctx))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module_name, attr = spec.split(":")
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{module_name}":
                return None
            raise
        return getattr(module, attr, None)

    def _available(self, name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f"{__name__}.{module_name}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"],
                                               "max_content_width": HELP_WIDTH})
@click.version_option(__version__, prog_name="teikit")
def cli() -> None:
    """teikit: plain-text scholarly editions to TEI P5, and tools to validate, query and export TEI.

    \b
    Examples:
      teikit convert seeds/ -o tei/          plain text to TEI, folder to folder
      teikit validate tei/                   schemas and integrity rules
      teikit search "Bay of Pigs" tei/       pages and notes with these words
      teikit export -f html tei/ -o ed.html  one readable page

    Every command takes -h for its options and examples, -q (only errors) and
    -v (more detail).  Exit status: 0 done, 1 problems found or inputs skipped,
    2 could not run, 130 interrupted.
    """


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: unwinds the command (temporaries removed, workers ended), then exit 128+signal.

    A BaseException of its own, so that neither click (which would print "Aborted!" and
    exit 1) nor an ``except Exception`` in a command swallows it.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_MAIN_PID = os.getpid()  # the process that imported the CLI; forked workers inherit the handler


def _interrupt(signum: int, frame: object) -> None:
    if os.getpid() != _MAIN_PID:  # a forked worker that kept this handler: end quietly, the parent reports
        os._exit(128 + signum)
    for ignored in (signal.SIGINT, signal.SIGTERM):  # a second signal must not break the clean-up
        signal.signal(ignored, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning teikit errors into ``file:line: message`` and exit 2,
    and Ctrl-C / SIGTERM into one line and exit 130 / 143."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        cli.main(args=argv, prog_name="teikit", standalone_mode=True)
    except Exception as exc:  # a bug: still one line for the user, never a traceback
        click.echo(f"teikit: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
    except Interrupted as stop:
        click.echo(f"teikit: interrupted ({signal.Signals(stop.signum).name}); "
                   "no partial output was left", err=True)
        sys.exit(128 + stop.signum)
