from decimal import Decimal

import pytest

from otop.selection.rules import tally

RULE = {
    "min_scorers": 3,
    "approve_mean": Decimal("3.50"),
    "min_criterion_mean": Decimal("2.00"),
    "reject_below_mean": Decimal("2.50"),
}


def rows(*members):
    """members: one list of scores per member, criteria numbered 1.. in order."""
    return [(m, c, s) for m, scores in enumerate(members, start=1) for c, s in enumerate(scores, start=1)]


@pytest.mark.parametrize(
    ("members", "proposal", "mean", "reasons"),
    [
        # three members, mean 4.00, every criterion ≥ 2 → approve
        ([[4, 4, 4], [4, 4, 4], [4, 4, 4]], "approve", Decimal("4.00"), ()),
        # exactly 3.50 is enough
        ([[3, 4, 3, 4], [4, 3, 4, 3], [4, 3, 4, 3]], "approve", Decimal("3.50"), ()),
        # two members only: no proposal yet
        ([[5, 5], [5, 5]], "", Decimal("5.00"), ("too_few_scorers",)),
        # mean 3.89 but one criterion averages 1.67 → ask for changes
        ([[5, 5, 1], [5, 5, 2], [5, 5, 2]], "changes", Decimal("3.89"), ("criterion_below",)),
        # mean 3.00: changes
        ([[3, 3], [3, 3], [3, 3]], "changes", Decimal("3.00"), ("mean_below",)),
        # mean 2.00: reject
        ([[2, 2], [2, 2], [2, 2]], "reject", Decimal("2.00"), ("mean_below", "mean_rejects")),
    ],
)
def test_the_default_rule_proposes(members, proposal, mean, reasons):
    result = tally(scores=rows(*members), **RULE)
    assert result.proposal == proposal
    assert result.mean == mean
    assert result.reasons == reasons
    assert result.scorers == len(members)


def test_criterion_means_are_rounded_half_up_to_two_places():
    result = tally(scores=rows([4, 1], [4, 2], [5, 2]), **RULE)
    assert result.criterion_means == {1: Decimal("4.33"), 2: Decimal("1.67")}


def test_the_thresholds_are_data():
    scores = rows([3, 3], [3, 3])
    assert tally(scores=scores, **{**RULE, "min_scorers": 2, "approve_mean": Decimal("3.00")}).proposal == "approve"
    assert tally(scores=scores, **RULE).proposal == ""
