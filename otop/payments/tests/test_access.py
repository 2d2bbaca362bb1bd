"""The payments pages in the role matrix (docs/roles.md)."""

import pytest

from tests.role_matrix import ROLES, assert_answer, matrix_cases

MATRIX = {
    "/payments/bank/": ["login", "403", "403", "403", "403", "in", "in"],
    "/payments/bank/?all=1": ["login", "403", "403", "403", "403", "in", "in"],
    # The bank's confirmation takes only POSTs (and answers 404 while the bank is not set up).
    "/payments/callback/bank/": ["405"] * 7,
    # Staff retry a failed card refund from the bank page: POST only.
    "/payments/card-refunds/1/retry/": ["405"] * 7,
    # The buyer's slip for a waiting order (storefront): POST only, behind the order's signed tracking link.
    "/orders/track/OTOP-2569-000001/not-a-token/slip/": ["405"] * 7,
}
CASES = matrix_cases(MATRIX)
# Rows of 7 answers: the province officer (the 8th role) gets what a customer gets (tests/role_matrix.py).
assert len(ROLES) == 8


@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_payments_pages_by_role(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)
