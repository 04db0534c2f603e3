"""What every ``teikit`` command shares: ``-q``/``-v``, messages, errors and progress.

Short flags mean the same everywhere: ``-o`` output, ``-f`` format, ``-j`` jobs,
``-q`` quiet, ``-v`` verbose, ``-d`` document, ``-n`` limit, ``-s`` schema.
``--force`` has no short form: replacing files is spelled out.

Messages go to stderr in one shape: ``file:line: message`` for a problem in a file,
``teikit: error: message`` (or ``teikit: warning: ...``) otherwise.  Errors leave a
command as :class:`CommandError` (a click exception carrying its exit code).
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

import click

from ..errors import TeikitError

if TYPE_CHECKING:
    from ..progress import Reporter

F = TypeVar("F", bound=Callable[..., Any])

#: exit status: 1 the job ran but found problems (or skipped inputs), 2 it could not run
EXIT_PROBLEMS = 1
EXIT_FAILED = 2


class CommandError(click.ClickException):
    """A command cannot go on: one message line on stderr, then exit with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        setattr(self, "exit_code", exit_code)  # click declares it a ClassVar; each error has its own

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)

    @classmethod
    def from_exception(cls, exc: BaseException) -> "CommandError":
        """The one-line message for an error a command let through."""
        if isinstance(exc, TeikitError):
            return cls(str(exc) if exc.path else f"teikit: error: {exc.message}")
        if isinstance(exc, KeyError):  # a lookup (document, page) that found nothing
            return cls(f"teikit: error: {exc.args[0] if exc.args else exc}")
        if isinstance(exc, OSError):
            return cls(f"{exc.filename or 'teikit'}: {exc.strerror or exc}")
        return cls(f"teikit: internal error: {type(exc).__name__}: {exc}")


def run_command(invoke: Callable[[], Any]) -> Any:
    """Run a command's body, turning what it raises into :class:`CommandError` (never a traceback)."""
    try:
        return invoke()
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except BrokenPipeError:  # output piped into `head`: the reader has all it wants
        sys.stderr.close()
        raise click.exceptions.Exit(0) from None
    except (TeikitError, KeyError, OSError) as exc:
        raise CommandError.from_exception(exc) from None


@dataclass(frozen=True)
class Console:
    """Where a command's messages go, given ``--quiet`` / ``--verbose``."""

    quiet: bool = False
    verbose: bool = False

    def info(self, message: str) -> None:
        """A summary or a note: hidden by --quiet."""
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        """Per-file detail: only with --verbose."""
        if self.verbose and not self.quiet:
            click.echo(message, err=True)

    def warning(self, message: str) -> None:
        """A warning already shaped ``file:line: message``: hidden by --quiet."""
        self.info(message)

    def warnings(self, messages: Iterable[str]) -> None:
        """Many warnings, one line each, written at once (thousands cost one write, not one each)."""
        lines = "\n".join(messages)
        if lines:
            self.warning(lines)

    def error(self, message: str) -> None:
        """An error: always shown."""
        click.echo(message, err=True)

    def progress(self, label: str, total: int) -> Reporter:
        """A progress display for ``total`` files (nothing with --quiet)."""
        from ..progress import reporter
        return reporter(label, total, quiet=self.quiet)


def console_options(command: F) -> F:
    """Add ``-q/--quiet`` and ``-v/--verbose``; the command receives ``console: Console``."""

    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        if quiet and verbose:
            raise click.UsageError("--quiet and --verbose exclude each other")
        return command(*args, console=Console(quiet=quiet, verbose=verbose), **kwargs)

    wrapper = click.option("-v", "--verbose", is_flag=True,
                           help="Say more: per-file details and timings.")(wrapper)
    wrapper = click.option("-q", "--quiet", is_flag=True,
                           help="Print only errors: no progress, warnings or summary.")(wrapper)
    return wrapper  # type: ignore[return-value]


def output_format(choices: tuple[str, ...], default: str | None = "text", **kwargs: Any) -> Callable[[F], F]:
    """The ``-f/--format`` option, the same spelling in every command."""
    return click.option("-f", "--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=default is not None, **kwargs)


def jobs_option(help: str = "Worker processes (default: all cores).") -> Callable[[F], F]:
    """``-j/--jobs N``: 0 or less is a usage error everywhere."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help=help)


def force_option(help: str) -> Callable[[F], F]:
    """``--force``: long form only, so that no short flag ever replaces a file by surprise."""
    return click.option("--force", is_flag=True, help=help)
