"""Project configuration: ``teikit.toml``, or ``[tool.teikit]`` in ``pyproject.toml``.

Found by walking up from the working folder; the first folder holding either file wins
(``teikit.toml`` before ``pyproject.toml``; a ``pyproject.toml`` without ``[tool.teikit]``
is passed over).  Each command reads its own table (``[tool.teikit.validate]``, or
``[validate]`` in ``teikit.toml``); relative paths in it are relative to the config file.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

CONFIG_NAMES = ("teikit.toml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
    """The teikit table of one config file (empty when none was found)."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """The ``[name]`` table (``[tool.teikit.name]`` in pyproject.toml), or {}."""
        table = self.data.get(name, {})
        if not isinstance(table, dict):
            raise InputError(f"[{name}] must be a table", path=str(self.path))
        return table

    def resolve(self, value: str) -> str:
        """A path from the config, relative to the config file's folder."""
        if self.path is None:
            return value
        return str((self.path.parent / os.path.expanduser(value)))


def _read_toml(path: Path) -> dict[str, Any]:
    if tomllib is None:
        raise InputError("reading a config file needs Python 3.11 or the tomli package", path=str(path))
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read config: {exc.strerror or exc}", path=str(path)) from None


def find_config(start: str | os.PathLike[str] | None = None) -> Config:
    """The nearest config at or above ``start`` (default: the working folder)."""
    folder = Path(start or os.getcwd()).resolve()
    for where in (folder, *folder.parents):
        toml = where / "teikit.toml"
        if toml.is_file():
            return Config(toml, _read_toml(toml))
        pyproject = where / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("teikit")
            if table is not None:
                if not isinstance(table, dict):
                    raise InputError("[tool.teikit] must be a table", path=str(pyproject))
                return Config(pyproject, table)
    return Config()
