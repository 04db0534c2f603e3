"""Reading plain-text input: decoding, sanity checks and offset -> line lookup."""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field

from ..errors import InputError

# characters XML 1.0 cannot hold (NUL is reported separately as binary data)
NEWLINE = re.compile("\n")
NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Source:
    """A decoded input text with its name, for messages that point at a line."""

    text: str
    name: str = "<input>"
    # offsets where lines start, found on the first line_of() (most documents need none)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in NEWLINE.finditer(self.text))]
        return bisect.bisect_right(self._line_starts, offset)


def decode(data: bytes, name: str = "<input>") -> Source:
    """Decode UTF-8 input (a BOM is dropped), normalise line ends, refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path=name,
            line=line,
        ) from None
    return from_text(text, name)


# the control characters of NOT_XML as UTF-8 bytes (a byte under 0x20 is never part of a
# multi-byte character, so deleting these bytes shortens the text only if one is there)
CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _not_xml(text: str) -> re.Match[str] | None:
    """The first character XML cannot hold, or None.  Encoding (refuses surrogates) and a byte
    deletion are 10-20x faster than the character-class search, which only runs on a find."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return NOT_XML.search(text)
    if len(data.translate(None, CONTROL_BYTES)) == len(data) and "\ufffe" not in text \
            and "\uffff" not in text:
        return None
    return NOT_XML.search(text)


def from_text(text: str, name: str = "<input>") -> Source:
    """Check a text string and wrap it as a :class:`Source`."""
    nul = text.find("\0")
    if nul >= 0:
        raise InputError("binary data (NUL character), not a text document",
                         path=name, line=text.count("\n", 0, nul) + 1)
    bad = _not_xml(text)
    if bad:
        raise InputError(f"character U+{ord(bad.group()):04X} cannot be stored in XML",
                         path=name, line=text.count("\n", 0, bad.start()) + 1)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise InputError("empty document: nothing to convert", path=name, line=1)
    return Source(text, name)
