"""Batch jobs over many files, on the local process pool or a Dask cluster.

Every function takes ``client``: a ``distributed.Client`` to run on its cluster, or
None for the local pool of ``jobs`` processes.  Results are those of the local
commands: the same bytes for convert and export, the same report for validate, the
same index rows (so the same search hits)::

    from distributed import Client
    from teikit import batch
    client = Client("tcp://scheduler:8786")
    batch.build_index(["volumes/"], "frus.sqlite", client=client)
"""
from importlib import import_module
from typing import Any

#: the environment variable naming a Dask scheduler (here, not in .engine: the CLI options read it)
SCHEDULER_ENV = "TEIKIT_SCHEDULER"

#: public names and their modules, imported on first use (the CLI loads this package for its option)
_EXPORTS = {"Converted": "convert", "convert_files": "convert", "connect": "engine",
            "export_json": "export", "build_index": "index", "validate_files": "validate"}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)


__all__ = sorted([*_EXPORTS, "SCHEDULER_ENV"])
