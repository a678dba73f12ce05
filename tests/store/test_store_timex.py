"""TIMEX3 values as calendar ranges, and the week a figure speaks of."""

from __future__ import annotations

import pytest

from newsgraph.store.timex import period_of, timex_range


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-03", ("2026-03-03", "2026-03-03")),
        ("2026-03-03TMO", ("2026-03-03", "2026-03-03")),
        ("2026-W10", ("2026-03-02", "2026-03-08")),
        ("2026-W10-WE", ("2026-03-07", "2026-03-08")),
        ("2026-02", ("2026-02-01", "2026-02-28")),
        ("2026-Q1", ("2026-01-01", "2026-03-31")),
        ("2026", ("2026-01-01", "2026-12-31")),
        ("PRESENT_REF", ("2026-03-05", "2026-03-05")),
        ("P3D", None),
        ("XXXX-03-03", None),
        ("2026-02-30", None),
        (None, None),
    ],
)
def test_timex_range(value, expected):
    assert timex_range(value, "2026-03-05") == expected


def test_period_of_a_figure():
    assert period_of(("2026-03-03", "2026-03-03"), "2026-03-20") == "2026-W10"
    assert period_of(("2026-03-02", "2026-03-08"), None) == "2026-W10"
    # A month is too long to compare: the publication week stands in.
    assert period_of(("2026-03-01", "2026-03-31"), "2026-03-20") == "2026-W12"
    assert period_of(None, None) is None
