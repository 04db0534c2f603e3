"""The one output guard every teikit command and API writer goes through.

* An output path that is, contains or is contained by an input is refused,
  ``--force`` or not: no input is ever modified.
* An existing output is replaced only with ``force``, and then only when it is
  the kind of thing the command itself writes (a file, not a folder; an SQLite
  index for ``index``; a bag for ``export --format bagit``).
* Temporaries live beside the output under one recognisable prefix
  (:data:`TEMP_PREFIX`) with the writer's process id, so the next run can remove
  the ones a killed run left behind without touching a live run's.
* Outputs take the permissions the umask gives, like any other tool's files.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import OutputError
from .files import RealPaths

PathLike = str | os.PathLike[str]

TEMP_PREFIX = ".teikit-tmp."
# ".teikit-tmp.<pid>.<anything>": the pid tells a live run's temporaries from a dead one's
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)\.")


def _read_umask() -> int:
    """The process umask, without changing it where /proc tells it (Linux >= 4.7)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permissions of a new output file: what ``open()`` would give (0666 less the umask)."""
    return 0o666 & ~_read_umask()


def dir_mode() -> int:
    """Permissions of a new output folder: what ``mkdir`` would give (0777 less the umask)."""
    return 0o777 & ~_read_umask()


def temp_name(target: PathLike) -> str:
    """Prefix of a temporary standing for ``target`` while it is being written."""
    return f"{TEMP_PREFIX}{os.getpid()}.{os.path.basename(os.fspath(target))}."


#: ends the name of an output folder moved aside while its replacement takes its name
_OLD_SUFFIX = ".old"


def old_folder_name(target: PathLike) -> str:
    """The name an existing output folder ``target`` has while its replacement is renamed
    in its place (where the two cannot be swapped in one step): a temporary's name, which
    :func:`remove_stale_temporaries` renames back to ``target`` if that name is free."""
    return temp_name(target)[:-1] + _OLD_SUFFIX


def make_temp_file(target: Path) -> Path:
    """An empty temporary file beside ``target`` (same file system, so a rename is atomic)."""
    import tempfile  # here: every command loads this module, few make temporaries this way
    with _naming_the_output(target):
        fd, name = tempfile.mkstemp(prefix=temp_name(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def make_temp_dir(target: Path) -> Path:
    """An empty temporary folder beside ``target``, with the umask's permissions."""
    import tempfile
    with _naming_the_output(target):
        path = Path(tempfile.mkdtemp(prefix=temp_name(target), suffix=".tmp", dir=target.parent))
    os.chmod(path, dir_mode())
    return path


@contextmanager
def _naming_the_output(target: Path) -> Iterator[None]:
    """An error making a temporary (a folder without write permission) as an :class:`OutputError`
    about ``target``: the temporary's name (``.teikit-tmp.<pid>.…``) means nothing to a user."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: PathLike) -> int:
    """Remove the temporaries that dead teikit runs left in ``folder``; return how many.

    A temporary whose writer is still running (its pid is alive) is left alone; an old
    output folder a run moved aside (:func:`old_folder_name`) and did not put back is put
    back under its name, when nothing took it.
    """
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for entry in entries:
        match = _TEMP_NAME.match(entry.name) if entry.name.startswith(TEMP_PREFIX) else None
        if not match or _pid_alive(int(match.group(1))):
            continue
        if entry.name.endswith(_OLD_SUFFIX) and entry.is_dir(follow_symlinks=False):
            original = os.path.join(folder, entry.name[match.end():-len(_OLD_SUFFIX)])
            if not os.path.lexists(original):  # else a later run wrote the output: the old one goes
                try:
                    os.rename(entry.path, original)
                except OSError:
                    pass  # left as it is: never removed while it is the only copy
                continue
        if entry.is_dir(follow_symlinks=False):
            import shutil  # here: loading it costs every command ~3 ms of start-up
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed


def sweep_output_folders(outputs: Iterable[PathLike]) -> None:
    """Remove dead runs' temporaries from the folders ``outputs`` go to (each folder once)."""
    for folder in {os.path.abspath(folder) for folder in {os.path.dirname(os.fspath(o)) for o in outputs}}:
        remove_stale_temporaries(folder)


class OutputGuard:
    """Checks the outputs of one run against its inputs before anything is written.

    Linear in the number of inputs and outputs: inputs and their ancestor folders
    are kept in dictionaries, and an output is looked up with its own ancestors.
    ``real_path`` resolves links (give the one that listed the inputs: it has
    their answers already).
    """

    def __init__(self, inputs: Iterable[PathLike], *, real_path: RealPaths | None = None):
        self._real_path = real_path or RealPaths()
        self._inputs: dict[str, str] = {}     # real path -> the input as given
        self._ancestors: dict[str, str] = {}  # real path of a folder holding an input -> that input
        self._clear_folders: set[str] = set()  # folders known to lie in no input
        for item in inputs:
            name = os.fspath(item)
            if name != "-":
                self.add_input(name, self._real_path(name))

    def add_input(self, name: str, real: str) -> None:
        """Count ``name`` as an input too, its real path ``real`` already known (a file found
        in a folder: its folder's listing told whether it is a link)."""
        self._inputs.setdefault(real, name)
        for parent in _parents(real):
            if parent in self._ancestors:
                break
            self._ancestors[parent] = name

    def check(self, output: PathLike) -> None:
        """Refuse ``output`` if it is, contains or is inside an input."""
        name = os.fspath(output)
        self._check(name, self._real_path(name))

    def check_all(self, outputs: Iterable[PathLike]) -> None:
        """:meth:`check` each of ``outputs``, listing each of their folders once to learn which
        are links instead of asking the system about every output (a batch has thousands)."""
        links_in: dict[str, set[str] | None] = {}  # folder -> its links' names, casefolded
        for output in outputs:
            name = os.fspath(output)
            folder, base = os.path.split(name)
            if folder not in links_in:
                links_in[folder] = _link_names(folder or os.curdir)
            links = links_in[folder]
            if links is None:  # the folder cannot be listed: resolved as check() does
                self._check(name, self._real_path(name))
            else:
                self._check(name, self._real_path.listed(name, base.casefold() in links))

    def _check(self, name: str, real: str) -> None:
        same = self._inputs.get(real)
        if same is not None:
            raise OutputError(f"output is the input {same}; refusing to overwrite an input",
                              path=name)
        inside = self._ancestors.get(real)
        if inside is not None:
            raise OutputError(f"output contains the input {inside}; refusing to write over an input",
                              path=name)
        folder = os.path.dirname(real)
        if folder in self._clear_folders:
            return
        for parent in _parents(real):
            holder = self._inputs.get(parent)
            if holder is not None:
                raise OutputError(f"output is inside the input folder {holder}; "
                                  "refusing to write into an input", path=name)
        self._clear_folders.add(folder)

    def check_replace(self, output: PathLike, *, force: bool,
                      ours: Callable[[Path], bool] | None = None, what: str = "a file") -> None:
        """:meth:`check`, then refuse an existing ``output`` unless ``force`` and it is ``ours``.

        ``ours`` tells whether an existing path is the kind of thing this command
        writes (default: any file that is not a folder); ``what`` names that kind.
        """
        self.check(output)
        target = Path(output)
        if not (target.exists() or target.is_symlink()):
            return
        if not force:
            raise OutputError("output exists; use --force to replace it", path=os.fspath(output))
        if target.is_symlink():
            raise OutputError("output is a symbolic link; refusing to replace it even with --force",
                              path=os.fspath(output))
        is_ours = ours(target) if ours is not None else target.is_file()
        if not is_ours:
            found = "a directory" if target.is_dir() and what == "a file" else "not " + what
            raise OutputError(f"output exists and is {found}; refusing to replace it even "
                              "with --force", path=os.fspath(output))


def _link_names(folder: str) -> set[str] | None:
    """The names of the symbolic links in ``folder``, casefolded (a case-insensitive system
    may open a link under another case); empty when it does not exist, None when it cannot
    be listed."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name.casefold() for entry in entries if entry.is_symlink()}
    except FileNotFoundError:
        return set()
    except OSError:
        return None


def _parents(real: str) -> Iterator[str]:
    """The folders above an absolute path, nearest first, up to the root."""
    while True:
        parent = os.path.dirname(real)
        if parent == real:
            return
        yield parent
        real = parent


def is_sqlite(path: Path) -> bool:
    """True for an SQLite database file (what ``teikit index`` writes)."""
    try:
        with open(path, "rb") as handle:
            return path.is_file() and handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False

