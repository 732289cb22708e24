"""bench.load's scenarios from its arguments: one run covers 20 and 100 clients without pauses
and 100 respondents with pauses (issue 16, "Done means")."""

import argparse

import pytest

from bench.load import parse_args, user_counts


def test_one_throughput_scenario_per_count_by_default() -> None:
    args = parse_args([])
    assert args.throughput_users == (20, 100)
    assert args.users == 100 and tuple(args.pause) == (1.0, 3.0)


def test_counts_are_a_comma_separated_list_and_zero_skips() -> None:
    assert user_counts("20,100") == (20, 100)
    assert user_counts("40") == (40,)
    assert user_counts("0") == ()
    with pytest.raises(argparse.ArgumentTypeError):
        user_counts("twenty")
