"""The role matrix of docs/roles.md: every role reaches what it should and nothing else.

"in" means 200; "403" means signed in but refused; "login" means sent to the sign-in page
(visitors, and the Django admin for roles without admin access).
"""

from __future__ import annotations

import pytest

from tests.role_matrix import ROLES, assert_answer, matrix_cases

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
    # LINE: the staff inbox; the webhook takes only LINE's signed POSTs.
    "/backoffice/line/": ["login", "403", "403", "403", "403", "in", "in"],
    "/backoffice/line/?status=done": ["login", "403", "403", "403", "403", "in", "in"],
    "/line/webhook": ["405"] * 7,
    # Catalogue feeds for Meta and Google: public.
    "/feeds/meta.csv": ["in"] * 7,
    "/feeds/google.xml": ["in"] * 7,
    "/share/home/any.jpg": ["in"] * 7,
    # Coupons: managers create and change them in the admin, staff see them.
    "/admin/orders/coupon/": ["login", "login", "login", "login", "login", "in", "in"],
    "/admin/orders/coupon/add/": ["login", "login", "login", "login", "login", "403", "in"],
    # Messenger's webhook: off (404) without the Facebook settings.
    "/facebook/webhook": ["404"] * 7,
}

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_matrix(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)


def test_matrix_covers_every_role_group():
    from otop.accounts.roles import ROLE_PERMISSIONS

    assert set(ROLE_PERMISSIONS) == {role for role in ROLES if role}
