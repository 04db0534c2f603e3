"""The click group of ``teikit``: sub-commands imported on first use."""
from __future__ import annotations

import importlib
import importlib.util

import click

from .._version import __version__
from . import COMMANDS, GROUP_HELP, HELP_WIDTH, SUMMARIES


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
            module = importlib.import_module(f"{__package__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module_name}":
                return None
            raise
        return getattr(module, attr, None)

    def _available(self, name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f"{__package__}.{module_name}") is not None


@click.group(cls=LazyGroup, help=GROUP_HELP,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH})
@click.version_option(__version__, prog_name="teikit")
def cli() -> None:
    pass  # the help is GROUP_HELP
