"""The privacy pages in the role matrix (docs/roles.md)."""

import pytest

from tests.role_matrix import ROLES, assert_answer, matrix_cases

MATRIX = {
    "/privacy/": ["in"] * 7,
    "/en/privacy/": ["in"] * 7,
    "/privacy/my/": ["login", "in", "in", "in", "in", "in", "in"],
    "/privacy/my/data.json": ["login", "in", "in", "in", "in", "in", "in"],
    "/privacy/guest/": ["in"] * 7,
    "/privacy/notices/": ["login", "403", "403", "403", "403", "403", "in"],
    "/privacy/requests/": ["login", "403", "403", "403", "403", "403", "in"],
    "/privacy/retention/": ["login", "403", "403", "403", "403", "403", "in"],
    "/privacy/breaches/": ["login", "403", "403", "403", "403", "403", "in"],
}
CASES = matrix_cases(MATRIX)
# Rows of 7 answers: the province officer (the 8th role) gets what a customer gets (tests/role_matrix.py).
assert len(ROLES) == 8


@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_privacy_pages_by_role(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)
