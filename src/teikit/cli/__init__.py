"""The ``teikit`` command line.

Each sub-command lives in its own module under :mod:`teikit.cli` and is only
imported when it is run, so ``teikit convert`` does not pay for loading the
validation or query machinery; ``teikit --help`` imports not even click (the
group is in :mod:`.group`).
"""
from __future__ import annotations

import os
import sys

# command name -> "module:attribute" (relative to this package)
COMMANDS = {
    "convert": "convert:convert_command",
    "validate": "validate:validate_command",
    "query": "query:query_command",
    "notes": "query:notes_command",
    "pages": "query:pages_command",
    "speeches": "query:speeches_command",
    "cast": "query:cast_command",
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
    "speeches": "List the speeches of TEI plays.",
    "cast": "List the people of TEI plays and how much each speaks.",
    "search": "Find pages and notes containing every word of QUERY.",
    "index": "Build an SQLite full-text index of TEI files.",
    "export": "Export TEI files as a corpus, bag, text, HTML, JSON or a site.",
    "verify": "Check a bag made by teikit export --format bagit.",
    "serve": "Serve TEI files: a reading site and the DTS API.",
}

HELP_WIDTH = 100  # wide enough that no option's help is cut, narrow enough for a terminal

# `teikit --help`: every paragraph kept as written (\b), so that it reads the same at any
# terminal width from STATIC_HELP_MIN_WIDTH up, and can be printed without importing click
GROUP_HELP = """\b
teikit: plain-text scholarly editions to TEI P5, and tools to validate,
query and export TEI.

\b
Examples:
  teikit convert seeds/ -o tei/          plain text to TEI, folder to folder
  teikit validate tei/                   schemas and integrity rules
  teikit search "Bay of Pigs" tei/       pages and notes with these words
  teikit export -f html tei/ -o ed.html  one readable page

\b
Every command takes -h for its options and examples, -q (only errors) and
-v (more detail).  Exit status: 0 done, 1 problems found or inputs skipped,
2 could not run, 130 interrupted.
"""
STATIC_HELP_MIN_WIDTH = 80  # narrower terminals get click's own (wrapped) rendering


def static_help() -> str:
    """``teikit --help`` as click renders it at STATIC_HELP_MIN_WIDTH columns or more (tested)."""
    text = [line for line in GROUP_HELP.splitlines() if line != "\b"]
    width = max(len(name) for name in COMMANDS)
    commands = [f"  {name:<{width}}  {SUMMARIES[name]}" for name in sorted(COMMANDS)]
    return "\n".join(["Usage: teikit [OPTIONS] COMMAND [ARGS]...", "",
                      *(f"  {line}" if line else "" for line in text), "",
                      "Options:", "  --version   Show the version and exit.",
                      "  -h, --help  Show this message and exit.", "", "Commands:", *commands]) + "\n"


def __getattr__(name: str) -> object:
    """``cli`` and ``LazyGroup`` (in :mod:`.group`) are imported with click on first use."""
    if name in ("cli", "LazyGroup"):
        from . import group
        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    import signal
    if os.getpid() != _MAIN_PID:  # a forked worker that kept this handler: end quietly, the parent reports
        os._exit(128 + signum)
    for ignored in (signal.SIGINT, signal.SIGTERM):  # a second signal must not break the clean-up
        signal.signal(ignored, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning teikit errors into ``file:line: message`` and exit 2,
    and Ctrl-C / SIGTERM into one line and exit 130 / 143."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["--help"], ["-h"]) and _terminal_width() >= STATIC_HELP_MIN_WIDTH:
        sys.stdout.write(static_help())
        return
    import atexit
    import gc
    import signal  # not before: `teikit --help` above stays at Python's own start-up cost
    # The process ends after the command, and at exit the interpreter's last collection walks
    # every object still alive (a corpus, the converter's, lxml's, the list of inputs): 30-80 ms
    # measured after convert's last file is committed, serial whatever -j says.  Frozen objects
    # are left out of that walk; the exit frees them all the same (at exit only: a frozen object
    # is never collected).
    atexit.register(gc.freeze)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    from .group import cli
    try:
        cli.main(args=argv, prog_name="teikit", standalone_mode=True)
    except Exception as exc:  # a bug: still one line for the user, never a traceback
        print(f"teikit: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(2)
    except Interrupted as stop:
        print(f"teikit: interrupted ({signal.Signals(stop.signum).name}); "
              "no partial output was left", file=sys.stderr)
        sys.exit(128 + stop.signum)


def _terminal_width() -> int:
    """The width click would format for: shutil.get_terminal_size's rule ($COLUMNS, the
    terminal's, else 80), written out because importing shutil costs a tenth of start-up."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80
