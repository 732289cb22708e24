"""T1.5: every shown count is 0 or at least 11, and no suppressed count can be worked out.

The reader's knowledge is modelled independently of the implementation: every shown figure,
the fact that each breakdown adds up to the week's total, and that a hidden count is at least 1.
For each hidden figure we enumerate the values consistent with all of that; there must be at
least two.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.stats.suppression import THRESHOLD, suppress_breakdowns, suppress_cells


@st.composite
def weeks(draw):
    """A week's total and 1-3 breakdowns of it into 1-5 cells (some zero)."""
    total = draw(st.one_of(st.integers(0, 12), st.integers(0, 60)))
    breakdowns = {}
    for index in range(draw(st.integers(1, 3))):
        parts = draw(st.integers(1, 5))
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        bounds = [0, *cuts, total]
        breakdowns[f"b{index}"] = {f"v{i}": bounds[i + 1] - bounds[i] for i in range(parts)}
    return total, breakdowns


def feasible_values(shown_total, shown, upper):
    """Every value each hidden figure can take, by the reader's reasoning. Keys: ('T',) or
    (breakdown, cell)."""
    values = {}
    totals = [shown_total] if shown_total is not None else range(1, upper + 1)
    for total in totals:
        lines = {}
        ok = True
        for name, cells in shown.items():
            known = sum(v for v in cells.values() if v is not None)
            hidden = [k for k, v in cells.items() if v is None]
            rest = total - known
            if (not hidden and rest != 0) or (hidden and rest < len(hidden)):
                ok = False
                break
            lines[name] = (hidden, rest)
        if not ok:
            continue
        if shown_total is None:
            values.setdefault(("T",), set()).add(total)
        for name, (hidden, rest) in lines.items():
            for key in hidden:
                # alone, x is the rest; else 1 .. rest - (the others, each at least 1)
                possible = {rest} if len(hidden) == 1 else range(1, rest - len(hidden) + 2)
                values.setdefault((name, key), set()).update(possible)
    return values


@settings(max_examples=300, deadline=None)
@given(weeks())
def test_no_small_count_is_shown_or_derivable(week) -> None:
    total, breakdowns = week
    shown_total, shown = suppress_breakdowns(total, breakdowns)
    figures = [shown_total, *(v for cells in shown.values() for v in cells.values())]
    assert all(v is None or v == 0 or v >= THRESHOLD for v in figures)
    # zeros are shown; nothing else is changed
    for name, cells in shown.items():
        for key, value in cells.items():
            assert value is None or value == breakdowns[name][key]
            assert breakdowns[name][key] != 0 or value == 0
    hidden = [("T",)] if shown_total is None else []
    hidden += [(n, k) for n, cells in shown.items() for k, v in cells.items() if v is None]
    values = feasible_values(shown_total, shown, upper=total + 40)
    for key in hidden:
        true = total if key == ("T",) else breakdowns[key[0]][key[1]]
        assert true in values[key], "the reader's model must admit the truth"
        assert len(values[key]) >= 2, f"{key} can be worked out: {sorted(values[key])}"


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 50), max_size=8))
def test_cells_without_totals(cells) -> None:
    shown = suppress_cells(cells)
    assert all(v is None or v == 0 or v >= THRESHOLD for v in shown.values())
    assert all(v is None or v == cells[k] for k, v in shown.items())


def test_the_check_catches_a_lone_suppressed_cell() -> None:
    """The reader's model is not vacuous: with primary suppression only, 5 = 20 - 15."""
    shown = {"b0": {"en": 15, "es": None}}
    values = feasible_values(20, shown, upper=60)
    assert values[("b0", "es")] == {5}


def test_an_example_by_hand() -> None:
    total, shown = suppress_breakdowns(40, {"locale": {"en": 33, "es": 5, "ar": 2}})
    assert total == 40
    assert shown["locale"]["es"] is None and shown["locale"]["ar"] is None
    assert shown["locale"]["en"] is None  # 5 + 2 < 11, so 33 is hidden too
