"""Shared checks for role-matrix tests. Each feature app tests its own rows in
otop/<app>/tests/test_access.py with these helpers, and adds them to docs/roles.md.

Expected answers: "in" (200), "403", "401", "404", or "login" (redirect to the sign-in page).

The province officer (the last role) holds no right outside the reports, so a row that leaves out
its answer expects what a customer gets (signed in, nothing more).
"""

from __future__ import annotations

ROLES = [None, "customer", "producer", "committee", "cashier", "staff", "manager", "province_officer"]


def matrix_cases(matrix: dict[str, list[str]]) -> list[tuple[str, str | None, str]]:
    """Flatten {path: [answer per role in ROLES order]} into parametrize cases."""
    full = {}
    for path, answers in matrix.items():
        if len(answers) == len(ROLES) - 1:
            answers = [*answers, answers[1]]
        if len(answers) != len(ROLES):
            raise ValueError(f"{path}: {len(answers)} answers for {len(ROLES)} roles")
        full[path] = answers
    return [(path, role, answers[i]) for path, answers in full.items() for i, role in enumerate(ROLES)]


def assert_answer(response, expected: str) -> None:
    if expected == "in":
        assert response.status_code == 200, response.status_code
    elif expected == "login":
        assert response.status_code == 302, response.status_code
        assert "login" in response["Location"]
    else:
        assert response.status_code == int(expected), response.status_code
