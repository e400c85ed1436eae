"""fixer/edits.py: where edits land (`settle`) and what `apply` writes."""

from __future__ import annotations

from fixer import edits
from fixer.model import Edit


def test_a_block_added_at_the_end_of_a_crlf_line_in_a_mostly_lf_file_goes_after_its_crlf() -> None:
    data = b"a;\nb;\r\nc;\n"
    out = edits.apply(data, [Edit("f", 5, 5, "\nx;\ny;")])
    assert out == b"a;\nb;\r\nx;\ny;\nc;\n"  # b keeps its CRLF; the new lines take LF


def test_a_block_added_at_the_end_of_an_lf_line_in_a_mostly_crlf_file_goes_after_its_lf() -> None:
    data = b"a;\r\nb;\nc;\r\n"
    out = edits.apply(data, [Edit("f", 6, 6, "\r\nx;")])
    assert out == b"a;\r\nb;\nx;\r\nc;\r\n"


def test_a_line_ending_like_the_block_is_left_where_it_is() -> None:
    data = b"a;\nb;\r\nc;\n"
    assert edits.settle(data, [Edit("f", 2, 2, "\nx;")]) == [Edit("f", 2, 2, "\nx;")]
    assert edits.apply(data, [Edit("f", 2, 2, "\nx;")]) == b"a;\nx;\nb;\r\nc;\n"


def test_settling_is_idempotent_and_keeps_the_order_of_edits() -> None:
    data = b"a;\r\n\r\nb;\nc;\n"
    given = [Edit("f", 2, 2, "\n"), Edit("f", 4, 4, "// z\n"), Edit("f", 7, 9, "\nd;")]
    once = edits.settle(data, given)
    assert edits.settle(data, once) == once
    assert once[0] == Edit("f", 4, 4, "\n")  # (at a line start now: not moved again)
    assert edits.apply(data, given) == edits.apply(data, once) == b"a;\r\n\n// z\n\r\nb\nd;c;\n"


def test_a_replacement_ending_before_a_foreign_line_break_becomes_a_deletion_and_an_insertion() -> None:
    data = b"a;\nx(); foo;\r\nc;\n"
    settled = edits.settle(data, [Edit("f", 8, 12, "\nbar;")])
    assert settled == [Edit("f", 8, 12, ""), Edit("f", 14, 14, "bar;\n")]
    assert edits.apply(data, [Edit("f", 8, 12, "\nbar;")]) == b"a;\nx(); \r\nbar;\nc;\n"


def test_an_edit_at_the_line_break_keeps_a_block_where_it_was_given() -> None:
    data = b"a;\nb;\r\nc;\n"
    given = [Edit("f", 5, 5, "\nx;"), Edit("f", 5, 5, " // y")]
    assert edits.settle(data, given) == given


def test_blocks_added_at_one_line_end_move_together_in_their_order() -> None:
    data = b"a;\nb;\r\nc;\n"
    given = [Edit("f", 5, 5, "\nx;"), Edit("f", 5, 5, "\ny;")]
    assert edits.settle(data, given) == [Edit("f", 7, 7, "x;\n"), Edit("f", 7, 7, "y;\n")]
    assert edits.apply(data, given) == b"a;\nb;\r\nx;\ny;\nc;\n"
    replaced = [Edit("f", 3, 5, "B;"), Edit("f", 5, 5, "\nx;")]  # (a replacement ending there: the line is its)
    assert edits.apply(data, replaced) == b"a;\nB;\r\nx;\nc;\n"
