from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from otop.accounts.api_auth import signed_in
from otop.accounts.selectors import roles_of

router = Router(tags=["people"])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    language: str


@router.get("/me", response=MeOut, auth=signed_in, summary="Who is calling")
def me(request: HttpRequest) -> MeOut:
    user = request.auth
    return MeOut(
        username=user.username,
        name=user.get_full_name(),
        roles=roles_of(user),
        language=user.preferred_language,
    )
