"""The Foreign Relations of the United States (FRUS) profile: conventions only FRUS files follow.

FRUS files are told by their names (``frus1955-57v01_d186.xml`` for a document,
``frus1955-57v01.xml`` for a volume); only for them are volume names taken
from file names, ``d58`` / ``d58fn2`` / ``pg_283`` ids read as document, note
and page ids, and links made to the Office of the Historian's site.
"""
from __future__ import annotations

import re

HISTORY_STATE_GOV = "https://history.state.gov/historicaldocuments/"

_VOLUME = r"frus[0-9A-Za-z.\-]+?"
_DOCUMENT_FILE = re.compile(rf"^(?P<volume>{_VOLUME})_d\d+[a-z]?$")
_VOLUME_FILE = re.compile(rf"^(?P<volume>{_VOLUME})$")
#: ``d58`` (a document) or ``d58fn2`` (a note in it)
TARGET_ID = re.compile(r"^(?P<doc>d\d+[a-z]?)(?:fn\d+)?$")
#: ``frus1955-57v01`` or ``frus1955-57v01#d189`` (a document of another volume)
EXTERNAL_TARGET = re.compile(rf"^(?P<volume>frus[0-9A-Za-z.\-]+)(?:#(?P<doc>d\d+)(?:fn\d+)?)?$")


def volume_of_file(stem: str | None) -> str | None:
    """The volume a FRUS file belongs to, from its name (``None`` for any other file)."""
    match = _DOCUMENT_FILE.match(stem or "") or _VOLUME_FILE.match(stem or "")
    return match.group("volume") if match else None


def document_of_target(xml_id: str) -> str | None:
    """``d58`` for ``d58`` or ``d58fn2``; ``None`` when the id is not a FRUS document/note id."""
    match = TARGET_ID.match(xml_id)
    return match.group("doc") if match else None


def link(target: str) -> str | None:
    """The history.state.gov address of a FRUS volume or document target, else ``None``."""
    match = EXTERNAL_TARGET.match(target)
    if not match:
        return None
    return HISTORY_STATE_GOV + match.group("volume") + (f"/{match.group('doc')}" if match.group("doc") else "")
