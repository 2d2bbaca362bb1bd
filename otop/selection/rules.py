"""The decision rule: from the scores of a round to a proposed outcome. Pure functions, no database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Tally:
    scorers: int
    mean: Decimal | None  # of every score given in the round
    criterion_means: dict[int, Decimal]  # criterion id → mean
    proposal: str  # "approve" / "reject" / "changes", or "" while too few have scored
    reasons: tuple[str, ...]  # machine codes: "too_few_scorers", "mean_below", "criterion_below", "mean_rejects"


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def tally(
    *,
    scores: Iterable[tuple[int, int, int]],
    min_scorers: int,
    approve_mean: Decimal,
    min_criterion_mean: Decimal,
    reject_below_mean: Decimal,
) -> Tally:
    """Propose an outcome from (member id, criterion id, score) rows.

    Approve when at least `min_scorers` members scored, the mean is ≥ `approve_mean` and no
    criterion's mean is below `min_criterion_mean`; reject when the mean is below
    `reject_below_mean`; otherwise ask for changes. Means are rounded half-up to 2 places first.
    """
    members: set[int] = set()
    everything: list[int] = []
    by_criterion: dict[int, list[int]] = defaultdict(list)
    for member_id, criterion_id, score in scores:
        members.add(member_id)
        everything.append(score)
        by_criterion[criterion_id].append(score)
    criterion_means = {criterion: _mean(values) for criterion, values in sorted(by_criterion.items())}
    mean = _mean(everything) if everything else None
    if len(members) < min_scorers or mean is None:
        return Tally(len(members), mean, criterion_means, "", ("too_few_scorers",))
    reasons = []
    if mean < approve_mean:
        reasons.append("mean_below")
    if any(value < min_criterion_mean for value in criterion_means.values()):
        reasons.append("criterion_below")
    if not reasons:
        return Tally(len(members), mean, criterion_means, "approve", ())
    if mean < reject_below_mean:
        return Tally(len(members), mean, criterion_means, "reject", (*reasons, "mean_rejects"))
    return Tally(len(members), mean, criterion_means, "changes", tuple(reasons))
