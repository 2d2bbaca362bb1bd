from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from otop.core.apitypes import LocalTime
from otop.core.i18n import localized
from otop.core.selectors import center_profile

router = Router(tags=["center"])


class CenterOut(Schema):
    name: str
    address: str
    province_code: str
    phone: str
    email: str
    facebook_url: str
    line_oa_id: str
    website_url: str
    opens_at: LocalTime
    closes_at: LocalTime
    open_on_public_holidays: bool


@router.get("/center", response=CenterOut, auth=None, summary="The center's public profile")
def get_center(request: HttpRequest) -> CenterOut:
    profile = center_profile()
    return CenterOut(
        name=localized(profile, "name"),
        address=localized(profile, "address"),
        province_code=profile.province_id,
        phone=profile.phone,
        email=profile.email,
        facebook_url=profile.facebook_url,
        line_oa_id=profile.line_oa_id,
        website_url=profile.website_url,
        opens_at=profile.opens_at,
        closes_at=profile.closes_at,
        open_on_public_holidays=profile.open_on_public_holidays,
    )
