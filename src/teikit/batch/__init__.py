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
from .convert import Converted, convert
from .engine import SCHEDULER_ENV, connect
from .export import export_json
from .index import build_index
from .validate import validate

__all__ = ["Converted", "SCHEDULER_ENV", "build_index", "connect", "convert", "export_json", "validate"]
