"""Small-cell suppression (security.md R1.5; CMS cell suppression policy).

No count from 1 to 10 is shown, and none can be worked out from the figures that are shown.

The statistics show, for one week and one event, a total T and several breakdowns of it (by
language, by partner, by who is asking); each breakdown's cells add up to T. So every breakdown
is one equation `T = c1 + c2 + …`, and the only figure two equations share is T. Totals over
weeks are never shown, so weeks do not constrain each other.

A reader knows that a hidden count is at least 1 (zeros are always shown). Primary suppression
hides every figure from 1 to 10. Complementary suppression then makes every equation safe:
- when T is shown, the hidden cells of a breakdown add up to a known sum s. They must be at
  least two, and s must be at least 11, so that each of them can still be anything from 1 to
  s - 1 (never one value);
- when T is hidden, each breakdown must hide at least one cell too, or T would be their sum.
A breakdown that is not safe hides its smallest shown non-zero cell, and if it has none left,
T is hidden; this repeats until every breakdown is safe.
"""

from collections.abc import Mapping

THRESHOLD = 11

Cells = Mapping[str, int]
Shown = dict[str, int | None]  # None: suppressed ("fewer than 11" when primary, or hidden)


def _primary(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress_cells(cells: Cells) -> Shown:
    """Cells with no total shown beside them: primary suppression is enough."""
    return {key: (None if _primary(value) else value) for key, value in cells.items()}


def suppress_breakdowns(
    total: int, breakdowns: Mapping[str, Cells]
) -> tuple[int | None, dict[str, Shown]]:
    """A week's total and its breakdowns, suppressed together (see the module docstring)."""
    hide_total = _primary(total)
    hidden = {
        name: {key for key, value in cells.items() if _primary(value)}
        for name, cells in breakdowns.items()
    }
    changed = True
    while changed:
        changed = False
        for name, cells in breakdowns.items():
            if _safe(cells, hidden[name], hide_total):
                continue
            candidates = sorted(
                (value, key)
                for key, value in cells.items()
                if value > 0 and key not in hidden[name]
            )
            if candidates:
                hidden[name].add(candidates[0][1])
            elif not hide_total:
                hide_total = True
            else:  # nothing more to hide; cannot happen when the cells add up to the total
                continue
            changed = True
    shown_total = None if hide_total else total
    shown = {
        name: {key: (None if key in hidden[name] else value) for key, value in cells.items()}
        for name, cells in breakdowns.items()
    }
    return shown_total, shown


def hide_zeros_beside_hidden(shown: Shown) -> Shown:
    """F3 (security-review-2026-12): in a row with a hidden figure, zeros are hidden too.

    A zero beside hidden figures tells who was *not* in the group: in a week with one finished
    session every breakdown is one hidden 1 among zeros, which names that person's language,
    partner and findings. Hiding a zero only widens what a hidden figure can be (0 or more
    instead of 1 or more), so the checks above still hold.
    """
    if all(value is not None for value in shown.values()):
        return shown
    return {key: (None if value == 0 else value) for key, value in shown.items()}


def _safe(cells: Cells, hidden: set[str], hide_total: bool) -> bool:
    if hide_total:
        return bool(hidden) or not any(cells.values())
    if not hidden:
        return True
    return len(hidden) >= 2 and sum(cells[key] for key in hidden) >= THRESHOLD
