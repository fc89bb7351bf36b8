"""The word and amount scans of efficiency's unused-read heuristic, against the plain regexes
they were written as (the faster forms must find exactly the same)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.efficiency import _THOUSANDS, _total, _words

_PLAIN_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PLAIN_AMOUNT = re.compile(r"(?<![\d.])-?\d+\.\d{2}(?![\d.])")

texts = st.text(alphabet="0123456789,.-_ aZ\n€", max_size=40)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_thousands_commas_are_the_plain_regex_s(text: str) -> None:
    assert _THOUSANDS.sub("", text) == _PLAIN_THOUSANDS.sub("", text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_total_is_the_sum_of_what_the_plain_regex_finds(text: str) -> None:
    amounts = _PLAIN_AMOUNT.findall(text)
    expected = {f"{sum(float(a) for a in amounts):.2f}"} if len(amounts) > 1 else set()
    assert _total(text) == expected


def test_words_drop_thousands_commas_years_and_short_words() -> None:
    assert _words("Total 1,734.50 EUR in 2025 for ord_2002, off-102") == {
        "total",
        "1734.50",
        "ord_2002",
        "off-102",
    }
    assert _total("1000.00 and 234.50, not 1.5 or 12.345") == {"1234.50"}
