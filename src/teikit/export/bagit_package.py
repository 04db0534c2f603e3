"""BagIt (RFC 8493) packages of TEI files, made and checked with the ``bagit`` library.

Layout of a bag made by :func:`make_tei_bag`::

    BAG/
      bagit.txt  bag-info.txt  manifest-sha256.txt  manifest-sha512.txt  tagmanifest-*.txt
      data/tei/<file>.xml              the input files, byte for byte
      data/schema/<schema>.xsd         the schema they were validated with (+ files it includes)
      data/validation-report.json      teikit.validate(...) report (Report.to_json())
      data/validation-report.txt       the same, as text

bag-info.txt: ``Source-Organization``, ``External-Description``, ``Bagging-Date``,
``Teikit-Version``, ``Teikit-Source`` (the inputs as given), ``Teikit-Schema``,
``Teikit-Validation`` (``valid``/``invalid``), plus what ``bagit`` adds
(``Payload-Oxum``, ``Bag-Software-Agent``).

The bag is built in a temporary directory beside the target (payload hashed on
all cores, once per algorithm), flushed and put in place of an old bag
(:func:`teikit.batchwrite.install_folder`), and checked at its final
path with ``Bag.validate()`` (every checksum, on all cores).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import bagit

from .._version import __version__
from ..batchwrite import install_folder
from ..errors import Diagnostic, InputError, OutputError, TeikitError
from ..files import expand_paths
from ..outputs import OutputGuard, make_temp_dir, sweep_output_folders
from ..query.document import read_tei

CHECKSUMS = ["sha256", "sha512"]
_SCHEMA_LOCATION = re.compile(rb'schemaLocation\s*=\s*["\']([^"\'#]+)["\']')


@dataclass
class Validation:
    """What a validator says about a set of TEI files."""

    ok: bool
    report_json: dict[str, Any]
    report_text: str
    errors: list[Diagnostic] = field(default_factory=list)


Validator = Callable[[Sequence[Path], Path], Validation]


def bundled_schema() -> Path:
    """The schema shipped with teikit (``teikit/data/teikit.xsd``)."""
    from ..validation import bundled_schema_path
    path = Path(bundled_schema_path())
    if not path.is_file():
        raise TeikitError("the bundled schema is missing (teikit.validation provides it)",
                          path=str(path))
    return path


def teikit_validator(files: Sequence[Path], schema: Path) -> Validation:
    """Validate with :func:`teikit.validate` against ``schema``, integrity rules included
    (the FRUS rules too for FRUS files: ``profile="auto"``), on all cores.

    A bag holds a selection of documents, so a ``#id`` pointing at a document that is
    not in it is reported as a warning (``refs="warning"``), not as an error.
    """
    from ..validation import render, validate
    report = validate([str(f) for f in files], schemas=[str(schema)], profile="auto", refs="warning")
    return Validation(bool(report.ok), report.to_json(), render(report, "text"), list(report.errors))


def _schema_files(schema: Path) -> list[Path]:
    """``schema`` and the local files it includes/imports (recursively)."""
    seen: list[Path] = []
    todo = [schema.resolve()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        for loc in _SCHEMA_LOCATION.findall(path.read_bytes()):
            ref = loc.decode("utf-8", "replace")
            if "://" in ref:
                continue
            candidate = (path.parent / ref).resolve()
            if candidate.is_file() and candidate.parent == schema.resolve().parent:
                todo.append(candidate)
    return seen


def _relabel(value: Any, mapping: dict[str, str]) -> Any:
    """Replace input paths by their paths inside the bag, everywhere in a JSON value."""
    if isinstance(value, str):
        for old, new in mapping.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_relabel(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _relabel(v, mapping) for k, v in value.items()}
    return value


def _cores() -> int:
    return os.cpu_count() or 1


def _looks_like_bag(path: Path) -> bool:
    return (path / "bagit.txt").is_file()


@dataclass
class BagResult:
    path: Path
    files: list[str]
    valid_tei: bool
    oxum: str


def make_tei_bag(paths: Sequence[os.PathLike[str] | str], out: os.PathLike[str] | str, *,
                 force: bool = False, schema: os.PathLike[str] | str | None = None,
                 organization: str | None = None, description: str | None = None,
                 validator: Validator | None = None) -> BagResult:
    """Package the TEI files in ``paths`` as a BagIt bag at ``out`` (see module docstring)."""
    target = Path(out)
    files = expand_paths(paths)
    OutputGuard([*paths, *files]).check_replace(
        target, force=force, what="a bag", ours=lambda p: p.is_dir() and _looks_like_bag(p))
    names: dict[str, Path] = {}
    for path in files:
        read_tei(path)  # well-formed TEI or a located InputError (the model is not needed)
        if path.name in names:
            raise InputError(f"two inputs are named {path.name} (also {names[path.name]}); "
                             "a bag holds one flat data/tei/ folder", path=str(path))
        names[path.name] = path
    schema_path = Path(schema) if schema else bundled_schema()
    if not schema_path.is_file():
        raise InputError("schema not found", path=str(schema_path))
    schema_files = _schema_files(schema_path)
    validation = (validator or teikit_validator)(files, schema_path)
    mapping = {str(p): f"data/tei/{p.name}" for p in files}
    mapping.update({str(p.resolve()): f"data/tei/{p.name}" for p in files})
    mapping = dict(sorted(mapping.items(), key=lambda kv: -len(kv[0])))  # longest first

    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_output_folders([target])
    staging = make_temp_dir(target)
    try:
        (staging / "tei").mkdir()
        (staging / "schema").mkdir()
        for name, path in names.items():
            shutil.copyfile(path, staging / "tei" / name)
        for path in schema_files:
            shutil.copyfile(path, staging / "schema" / path.name)
        report = _relabel(validation.report_json, mapping)
        (staging / "validation-report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (staging / "validation-report.txt").write_text(
            _relabel(validation.report_text, mapping), encoding="utf-8")
        info = {
            "Source-Organization": organization or "unspecified",
            "External-Description": description or (
                f"{len(files)} TEI P5 file(s) packaged by teikit {__version__}, with the schema "
                f"they were validated against ({schema_path.name}) and the validation report."),
            "Bagging-Date": _dt.date.today().isoformat(),
            "Teikit-Version": __version__,
            "Teikit-Source": " ".join(os.fspath(p) for p in paths),
            "Teikit-Schema": schema_path.name,
            "Teikit-Validation": "valid" if validation.ok else "invalid",
        }
        bag = bagit.make_bag(str(staging), bag_info=info, checksums=CHECKSUMS, processes=_cores())
        bag.validate(fast=True)  # complete (Payload-Oxum); the checksums are checked once, below
        install_folder(os.fspath(staging), os.fspath(target))  # flushed; an old bag kept until then
    except bagit.BagError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"bag failed its own check after writing: {exc}", path=str(target)) from None
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write bag: {exc.strerror or exc}", path=str(target)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = bagit.Bag(str(target))
    try:
        final.validate(processes=_cores())
    except bagit.BagError as exc:
        raise OutputError(f"bag failed its check at its final place: {exc}", path=str(target)) from None
    return BagResult(target, sorted(names), validation.ok, final.info.get("Payload-Oxum", ""))


#: the ``rule`` of a bag check's :class:`~teikit.errors.Diagnostic` (validation problems keep their own)
BAG_RULE = "bagit"


def bag_problem(where: os.PathLike[str] | str, message: str) -> Diagnostic:
    """A problem of the bag itself (a checksum, a missing file ...), as an error Diagnostic."""
    return Diagnostic(os.fspath(where), None, None, "error", BAG_RULE, message)


@dataclass
class VerifyResult:
    """Outcome of :func:`verify_bag`: ``ok`` only if integrity and TEI validity both hold.

    ``problems`` are :class:`~teikit.errors.Diagnostic` errors: the bag's own (rule
    ``bagit``), then those of validating its TEI.
    """

    path: Path
    integrity: bool
    valid_tei: bool | None
    problems: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.integrity and bool(self.valid_tei)


def _damaged_files(bag: bagit.Bag, bag_path: Path) -> list[Diagnostic]:
    """Payload files that are missing, extra or whose SHA-256 differs from the manifest."""
    import hashlib
    problems = []
    listed = {path for path in bag.entries if path.startswith("data/")}
    for path in sorted(listed):
        expected = bag.entries[path].get("sha256")
        file = bag_path / path
        if not file.is_file():
            problems.append(bag_problem(file, "missing from the payload"))
        elif expected and hashlib.sha256(file.read_bytes()).hexdigest() != expected:
            problems.append(bag_problem(file, "sha256 differs from manifest-sha256.txt"))
    for path in sorted(set(bag.payload_files()) - listed):
        problems.append(bag_problem(bag_path / path, "not listed in the manifest"))
    return problems


_TAG_ENCODING = re.compile(r"^Tag-File-Character-Encoding:\s*(\S+)", re.MULTILINE)


def _undecodable_tag_file(bag_path: Path) -> tuple[str, Path | None]:
    """(the tag files' encoding bagit.txt declares, the first tag file not in it)."""
    try:
        declared = _TAG_ENCODING.search((bag_path / "bagit.txt").read_text("utf-8", errors="replace"))
    except OSError:
        declared = None
    encoding = declared.group(1) if declared else "UTF-8"
    for file in sorted(bag_path.glob("*.txt")):
        try:
            file.read_bytes().decode(encoding)
        except (UnicodeError, LookupError, OSError):
            return encoding, file
    return encoding, None


def verify_bag(path: os.PathLike[str] | str, *, validator: Validator | None = None) -> VerifyResult:
    """Check a bag: BagIt completeness and checksums, then re-validate ``data/tei/*.xml``
    against the schema bundled in ``data/schema/``."""
    bag_path = Path(path)
    if not bag_path.is_dir():
        raise InputError("not a directory", path=str(bag_path))
    result = VerifyResult(bag_path, integrity=False, valid_tei=None)
    try:
        bag = bagit.Bag(str(bag_path))
    except bagit.BagError as exc:
        raise InputError(f"not a BagIt bag: {exc}", path=str(bag_path)) from None
    except UnicodeError as exc:  # the bagit library reads the tag files without catching it
        encoding, file = _undecodable_tag_file(bag_path)
        raise InputError(f"not a BagIt bag: not {encoding} text, the tag files' encoding bagit.txt "
                         f"declares ({exc})", path=str(file or bag_path)) from None
    try:
        bag.validate(processes=_cores())
        result.integrity = True
    except bagit.BagValidationError as exc:
        result.problems.append(bag_problem(bag_path, exc.message))
        for detail in exc.details:  # ChecksumMismatch, FileMissing ...: about the file at detail.path
            where = getattr(detail, "path", None)
            result.problems.append(bag_problem(bag_path / where if where else bag_path, str(detail)))
        if not exc.details:  # e.g. Payload-Oxum: name the files that differ
            result.problems.extend(_damaged_files(bag, bag_path))
    except bagit.BagError as exc:
        result.problems.append(bag_problem(bag_path, str(exc)))
    # a FIFO (or other special file) in the payload is a damage the bag's check reports ("missing
    # from the payload", "not listed in the manifest"); opening it would wait for a writer
    tei_files = sorted(file for file in (bag_path / "data" / "tei").glob("*.xml") if file.is_file())
    result.files = len(tei_files)
    schema_name = bag.info.get("Teikit-Schema")
    if isinstance(schema_name, list):
        schema_name = schema_name[0]
    schema = bag_path / "data" / "schema" / (schema_name or "")
    if not tei_files:
        result.problems.append(bag_problem(bag_path, "no TEI files in data/tei/"))
        result.valid_tei = False
    elif not schema_name or not schema.is_file():
        result.problems.append(bag_problem(
            bag_path, f"schema {schema_name!r} named in bag-info.txt is not in data/schema/"))
        result.valid_tei = False
    else:
        validation = (validator or teikit_validator)(tei_files, schema)
        result.valid_tei = validation.ok
        result.problems.extend(validation.errors)
    return result
