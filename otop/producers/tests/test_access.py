"""Who reaches the producer pages and the selection pages (docs/roles.md, "Producers and selection")."""

from __future__ import annotations

import pytest

from tests.role_matrix import assert_answer, matrix_cases

# The producer role here has no linked producer, so its portal answers 403 (see the per-producer tests).
MATRIX = {
    "/portal/": ["login", "403", "403", "403", "403", "403", "403"],
    "/backoffice/producers/": ["login", "403", "403", "403", "403", "in", "in"],
    "/backoffice/producers/new/": ["login", "403", "403", "403", "403", "in", "in"],
    "/backoffice/producers/expiring/": ["login", "403", "403", "403", "403", "in", "in"],
    "/selection/": ["login", "403", "403", "in", "403", "in", "in"],
    "/selection/backoffice/": ["login", "403", "403", "403", "403", "in", "in"],
    "/selection/backoffice/meetings/new/": ["login", "403", "403", "403", "403", "in", "in"],
    "/selection/backoffice/rules/": ["login", "403", "403", "403", "403", "403", "in"],
    "/selection/backoffice/criteria/new/": ["login", "403", "403", "403", "403", "403", "in"],
    "/api/v1/producers": ["401", "403", "403", "403", "403", "in", "in"],
    "/api/v1/applications": ["401", "403", "403", "in", "403", "in", "in"],
}

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_matrix(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)
