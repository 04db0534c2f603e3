"""Bad input: clear messages naming file and line, never a traceback."""
from __future__ import annotations

import pytest

import teikit
from teikit import InputError
from teikit.converter import convert, convert_bytes


@pytest.mark.parametrize("data, message, line", [
    (b"", "empty document", 1),
    (b"   \n\n  \n", "empty document", 1),
    (b"12. Title\n\nText \xff\xfe here", "not UTF-8", 3),
    (b"12. Title\n\x00\x01\x02", "binary data", 2),
])
def test_unusable_input_is_an_input_error(data, message, line):
    with pytest.raises(teikit.InputError) as info:
        convert_bytes(data, name="bad.txt")
    assert message in info.value.message
    assert (info.value.path, info.value.line) == ("bad.txt", line)
    assert str(info.value).startswith(f"bad.txt:{line}: ")


def test_duplicate_note_numbers_are_an_error():
    text = "12. Title1\n\nText.2\n\n  1. Source: Archive.\n  2. One.\n  2. Two."
    with pytest.raises(teikit.InputError) as info:
        teikit.convert(text, name="dup.txt")
    assert "footnote 2 appears twice" in info.value.message
    assert info.value.line == 7


def test_byte_order_mark_and_crlf_are_accepted():
    result = convert_bytes("\ufeff12. Title1\r\n\r\nText.\r\n\r\n  1. Source: A.".encode("utf-8"))
    assert result.div.get("n") == "12"
    assert not result.warnings


@pytest.mark.parametrize("bad", ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ud800", "\udfff",
                                 "\ufffe", "\uffff"])
def test_character_xml_cannot_hold_is_an_error_at_its_line(bad):
    with pytest.raises(InputError, match=f"U\\+{ord(bad):04X} cannot be stored in XML") as err:
        convert(f"1. Title\n\nA line “quoted”.\n\nBad {bad} here.\n")
    assert err.value.line == 5


@pytest.mark.parametrize("fine", ["\t", "\n", "\r", "\x7f", "\x85", "\ud7ff", "\ue000", "\ufffd", "\U0001f600"])
def test_characters_xml_holds_pass(fine):
    assert convert(f"1. Title\n\nText {fine} here.\n").root is not None
