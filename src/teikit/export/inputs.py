"""The inputs of an export: TEI files read with :func:`teikit.load`, the one model of a TEI file.

An :class:`Input` is a loaded file plus what the exporters ask of it (its tree,
its FRUS volume, a title).  :func:`read_inputs` reads every file first (parsed and
checked as ``teikit.load`` does; each model is built when first asked for), so a bad
input stops the export before anything is written, naming each bad input, or,
with ``skip_invalid``, is reported and left out.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from lxml import etree

from ..errors import InputError, TeikitError
from ..files import expand_paths
from ..progress import ProgressCallback, notify
from ..query import frus
from ..query.document import Document, from_tree, outline_title, read_tei
from ..query.search import fold
from ..xmlio import tree_xml_ids

T = TypeVar("T")


class Input:
    """One input file: its model as :func:`teikit.load` reads it (``Input(path, teikit.load(path))``).

    :meth:`parsed` makes one from the file's tree alone: the model is then built when first
    asked for, so an export that needs only the tree and a title (corpus, html) does not build
    it for a file whose title :func:`~teikit.query.document.outline` reads (a FRUS document file).
    """

    def __init__(self, path: Path, document: Document):
        self.path = path
        self._document: Document | None = document  # the whole file: a document, or a volume of units
        self._tree: etree._ElementTree | None = None

    @classmethod
    def parsed(cls, path: Path) -> "Input":
        """The file at ``path`` parsed and checked as :func:`teikit.load` reads it (the only
        refusals of ``load``: unreadable, not well-formed, not TEI); its model not yet built."""
        made = cls.__new__(cls)
        made.path = path
        made._document = None
        made._tree = read_tei(path)
        return made

    @property
    def document(self) -> Document:
        """The model of the whole file (a document, or a volume of units), built when first asked for."""
        if self._document is None:
            assert self._tree is not None
            self._document = from_tree(self._tree, path=self.path)  # what teikit.load(path) builds
        return self._document

    @property
    def root(self) -> etree._Element:
        if self._tree is not None:
            return self._tree.getroot()
        return self.document.element.getroottree().getroot()

    @property
    def stem(self) -> str:
        return self.path.stem

    @cached_property
    def volume(self) -> str | None:
        """The FRUS volume the file belongs to (from its name); ``None`` for other files."""
        return frus.volume_of_file(self.stem)

    @property
    def units(self) -> list[Document]:
        """Documents and the text outside them, in file order."""
        return self.document.units

    @property
    def documents(self) -> list[Document]:
        return self.document.documents

    @property
    def document_count(self) -> int:
        """``len(self.documents)``, without building the model of a file that is one document."""
        return 1 if self._document is None and self._outline is not None else len(self.documents)

    @cached_property
    def _outline(self) -> tuple[str, str | None] | None:
        """The heading and title the model would give a file that is one document and no
        header (else None): :func:`~teikit.query.document.outline_title`."""
        return outline_title(self.root)

    @cached_property
    def title(self) -> str:
        """The header title, else the first document heading, else the file name."""
        if self._document is None and self._outline is not None:  # the model's title, read without it
            heading, title = self._outline
            candidates: Iterable[str | None] = (title, heading)
        else:
            candidates = (self.document.metadata.title, *(d.heading for d in self.documents))
        for candidate in candidates:
            if candidate:
                return candidate
        return self.stem


def tree_ids(root: etree._Element) -> set[str]:
    """Every xml:id in the tree of ``root``."""
    return set(tree_xml_ids(root))


def normalize(text: str) -> str:
    """Collapse runs of whitespace to single spaces and strip."""
    return " ".join(text.split())


def read_inputs(paths: Sequence[os.PathLike[str] | str], *, skip_invalid: bool = False,
                progress: ProgressCallback | None = None) -> tuple[list[Input], list[TeikitError]]:
    """Load every file under ``paths``; return the inputs and the problems of the ones skipped.

    ``progress(n)`` is told as each file is read (see :mod:`teikit.progress`).

    Without ``skip_invalid`` any bad input raises one :class:`InputError` naming each bad
    input (one ``file:line: message`` per line), before the caller writes anything.  ``paths``
    may be the files :func:`~teikit.files.expand_paths` listed: they are not listed again.
    """
    return _read_each(expand_paths(paths), Input.parsed, skip_invalid, progress)


def check_inputs(paths: Sequence[os.PathLike[str] | str], *, skip_invalid: bool = False,
                 progress: ProgressCallback | None = None) -> tuple[list[Path], list[TeikitError]]:
    """As :func:`read_inputs`, for an export that needs only the files (a bag): each file is
    parsed and checked to be TEI, its model is not built."""
    def check(path: Path) -> Path:
        read_tei(path)
        return path
    return _read_each(expand_paths(paths), check, skip_invalid, progress)


def _read_each(files: Sequence[Path], read: Callable[[Path], T],
               skip_invalid: bool, progress: ProgressCallback | None) -> tuple[list[T], list[TeikitError]]:
    inputs: list[T] = []
    problems: list[TeikitError] = []
    for path in files:
        try:
            inputs.append(read(path))
        except TeikitError as exc:
            problems.append(exc.located(str(path)))
        notify(progress)
    check_problems(problems, len(inputs), skip_invalid=skip_invalid)
    return inputs, problems


#: below this many files a worker pool's start-up (a fork server, teikit imported in each
#: worker: a few tenths of a second) costs more than the work it would share
POOL_MIN_FILES = 16


def map_inputs(paths: Sequence[os.PathLike[str] | str], work: Callable[[Path], T], *,
               skip_invalid: bool = False, progress: ProgressCallback | None = None,
               jobs: int | None = None) -> tuple[list[tuple[Path, T]], list[TeikitError]]:
    """``work(file)`` for every file under ``paths``, on all cores (``jobs`` processes);
    the ``(file, result)`` pairs in input order and the problems of the files skipped.

    ``work`` runs in worker processes (a module-level function, its result picklable);
    a :class:`TeikitError` it raises is that file's problem.  Bad inputs are treated as
    by :func:`read_inputs`: without ``skip_invalid`` the first or all of them are raised
    once every file has been seen, before the caller writes anything.
    """
    from ..batch.engine import batches, run_batches
    files = [str(path) for path in expand_paths(paths)]
    if len(files) < POOL_MIN_FILES:
        jobs = 1
    results: list[tuple[Path, T]] = []
    problems: list[TeikitError] = []
    for chunk in run_batches(_apply, batches(files, None, jobs), work, jobs=jobs, progress=progress):
        for file, result in chunk:
            if isinstance(result, TeikitError):
                problems.append(result)
            else:
                results.append((Path(file), result))
    check_problems(problems, len(results), skip_invalid=skip_invalid)
    return results, problems


def _apply(files: Sequence[str], work: Callable[[Path], Any]) -> list[tuple[str, Any]]:
    """Worker: ``work`` on each file of a batch, a file's TeikitError as its result."""
    out: list[tuple[str, Any]] = []
    for file in files:
        try:
            out.append((file, work(Path(file))))
        except TeikitError as exc:
            from ..workers import portable  # here: loading it (multiprocessing) costs the commands without a pool
            out.append((file, portable(exc.located(file))))
    return out


def check_problems(problems: Sequence[TeikitError], readable: int, *, skip_invalid: bool) -> None:
    """Raise what stops an export: any bad input without ``skip_invalid``, or no readable input."""
    if problems and not skip_invalid:
        if len(problems) == 1:
            raise problems[0]
        raise InputError(f"{len(problems)} inputs cannot be exported (--skip-invalid leaves them out):\n"
                         + "\n".join(str(p) for p in problems), path="teikit")
    if not readable:
        raise InputError("no input can be exported:\n" + "\n".join(str(p) for p in problems), path="teikit")


#: runs of letters or of digits: a note number written against a word ("State1") is not that word
_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")


def words(text: str) -> Counter[str]:
    """The words of ``text``, counted, as an export must keep them (case and accents folded)."""
    return Counter(_LETTERS_OR_DIGITS.findall(fold(text)))


def missing_words(expected: str, written: str) -> Counter[str]:
    """Words of ``expected`` (counted) that ``written`` lacks: empty when nothing was lost.

    The same as ``words(expected) - words(written)``, in about a third of the time when the
    two texts are mostly the same (an export beside the text it was made from): the lines
    both have (edge white space aside) are set aside, the other lines are cut at white space
    (C-speed ``str.split``) and only the pieces that one has and the other lacks are folded
    and cut into words.  Exact, because white space never folds into a letter or digit,
    never joins two words and is no combining mark (so folding a text is folding its lines,
    and its pieces), and the words common lines or pieces give cancel out.
    """
    have_lines, lack_lines = _lines(expected), _lines(written)
    extra = have_lines - lack_lines
    if not extra:
        return Counter()
    have = Counter(" ".join(extra.elements()).split())
    lack = Counter(" ".join((lack_lines - have_lines).elements()).split())
    return _piece_words(have - lack) - _piece_words(lack - have)


def _lines(text: str) -> Counter[str]:
    """The lines of ``text`` without their edge white space, counted."""
    return Counter([line.strip() for line in text.split("\n")])


def _piece_words(pieces: Counter[str]) -> Counter[str]:
    """:func:`words` of the text made of ``pieces`` (each as often as counted)."""
    found: Counter[str] = Counter()
    for piece, count in pieces.items():
        for word in _LETTERS_OR_DIGITS.findall(fold(piece)):
            found[word] += count
    return found


def load_inputs(paths: Sequence[os.PathLike[str] | str]) -> list[Input]:
    """Every file under ``paths`` loaded; the first bad input raises its :class:`InputError`."""
    return read_inputs(paths)[0]
