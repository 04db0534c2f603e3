"""The ``teikit`` command line.

Each sub-command lives in its own module under :mod:`teikit.cli` and is only
imported when it is run, so ``teikit convert`` does not pay for loading the
validation or query machinery.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .._version import __version__
from ..errors import TeikitError

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


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teikit")
def cli() -> None:
    """teikit: plain-text scholarly editions to TEI P5, and tools to validate, query and export TEI."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning teikit errors into ``file:line: message`` and exit 2."""
    try:
        cli.main(args=argv, prog_name="teikit", standalone_mode=True)
    except TeikitError as exc:  # pragma: no cover - commands normally handle their own errors
        click.echo(f"teikit: error: {exc}", err=True)
        sys.exit(2)
