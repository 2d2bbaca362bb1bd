"""Reads of the reference places, and resolving an address typed in Thai or English."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from otop.core.collation import order_by_name
from otop.core.errors import DomainError
from otop.geo.models import District, Province, Subdistrict


def provinces() -> QuerySet[Province]:
    return order_by_name(Province.objects.all())


def districts_of(*, province_code: str) -> QuerySet[District]:
    return order_by_name(District.objects.filter(province_id=province_code))


def subdistricts_of(*, district_code: str) -> QuerySet[Subdistrict]:
    return order_by_name(Subdistrict.objects.filter(district_id=district_code))


class InvalidAddress(DomainError):
    code = "invalid_address"


@dataclass(frozen=True)
class ResolvedAddress:
    subdistrict: Subdistrict
    district: District
    province: Province
    postcode: str


_PREFIXES = re.compile(
    r"^(จังหวัด|จ\.|อำเภอ|อ\.|เขต|ตำบล|ต\.|แขวง|changwat|amphoe|khet|tambon|khwaeng)\s*", re.IGNORECASE
)


def _clean(name: str) -> str:
    return _PREFIXES.sub("", (name or "").strip()).strip()


def _name_filter(name: str) -> Q:
    cleaned = _clean(name)
    return Q(code=cleaned) | Q(name_th=cleaned) | Q(name_en__iexact=cleaned)


def _capital_district_alias(name: str, province: Province) -> Q:
    """'เมือง' / 'Mueang' alone means the province's capital district."""
    cleaned = _clean(name).lower()
    if cleaned in {"เมือง", "mueang", "muang"}:
        return Q(name_th=f"เมือง{province.name_th}") | Q(code=f"{province.code}01")
    return Q(pk__in=[])


def resolve_address(*, province: str, district: str, subdistrict: str, postcode: str) -> ResolvedAddress:
    """Find the place an address names (codes, Thai or English names) and check its postcode.

    Raises InvalidAddress whose `fields` name each part that does not fit.
    """
    errors: dict[str, list[str]] = {}
    for name, value, message in (
        ("province", province, _("Please choose a province.")),
        ("district", district, _("Please choose a district.")),
        ("subdistrict", subdistrict, _("Please choose a subdistrict.")),
    ):
        if not (value or "").strip():
            raise InvalidAddress(message, fields={name: [message]})
    found_province = Province.objects.filter(_name_filter(province)).first()
    if found_province is None:
        raise InvalidAddress(_("Unknown province."), fields={"province": [_("Unknown province.")]})
    found_district = (
        District.objects.filter(province=found_province)
        .filter(_name_filter(district) | _capital_district_alias(district, found_province))
        .first()
    )
    if found_district is None:
        message = _("This district is not in %(province)s.") % {"province": found_province.name_th}
        raise InvalidAddress(message, fields={"district": [message]})
    found_subdistrict = Subdistrict.objects.filter(district=found_district).filter(_name_filter(subdistrict)).first()
    if found_subdistrict is None:
        message = _("This subdistrict is not in %(district)s.") % {"district": found_district.name_th}
        raise InvalidAddress(message, fields={"subdistrict": [message]})
    postcode = (postcode or "").strip()
    if postcode not in found_subdistrict.postcode_list:
        errors["postcode"] = [
            _("The postcode of %(subdistrict)s is %(postcodes)s.")
            % {
                "subdistrict": found_subdistrict.name_th,
                "postcodes": ", ".join(found_subdistrict.postcode_list),
            }
        ]
        raise InvalidAddress(errors["postcode"][0], fields=errors)
    return ResolvedAddress(
        subdistrict=found_subdistrict, district=found_district, province=found_province, postcode=postcode
    )
