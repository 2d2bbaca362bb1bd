"""The role matrix of docs/roles.md: every role reaches what it should and nothing else.

"in" means 200; "403" means signed in but refused; "login" means sent to the sign-in page
(visitors, and the Django admin for roles without admin access).
"""

from __future__ import annotations

import pytest

ROLES = [None, "customer", "producer", "committee", "cashier", "staff", "manager"]

# path: expected answer per role, in the order of ROLES
MATRIX = {
    "/": ["in"] * 7,
    "/en/": ["in"] * 7,
    "/healthz": ["in"] * 7,
    "/accounts/": ["login", "in", "in", "in", "in", "in", "in"],
    "/backoffice/": ["login", "403", "403", "403", "403", "in", "in"],
    "/backoffice/center/": ["login", "403", "403", "403", "403", "403", "in"],
    "/backoffice/people/": ["login", "403", "403", "403", "403", "403", "in"],
    "/backoffice/audit/": ["login", "403", "403", "403", "403", "403", "in"],
    "/admin/": ["login", "login", "login", "login", "login", "in", "in"],
    "/api/v1/center": ["in"] * 7,
    "/api/v1/me": ["401", "in", "in", "in", "in", "in", "in"],
}

CASES = [(path, role, expected[i]) for path, expected in MATRIX.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_matrix(client_for, path, role, expected):
    response = client_for(role).get(path)
    if expected == "in":
        assert response.status_code == 200
    elif expected == "login":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == int(expected)


def test_matrix_covers_every_role_group():
    from otop.accounts.roles import ROLE_PERMISSIONS

    assert set(ROLE_PERMISSIONS) == {role for role in ROLES if role}
