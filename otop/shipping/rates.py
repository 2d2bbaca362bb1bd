"""Delivery quotes: every enabled carrier service that takes the parcel to the postcode, with its fee,
COD fee and expected days, cheapest first. Fees are always worked out here, on the server."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.catalog.models import Variant
from otop.core.i18n import localized
from otop.core.money import ZERO, to_satang
from otop.geo.models import Subdistrict
from otop.orders.delivery import ParcelPrice
from otop.orders.errors import InvalidOrder
from otop.orders.models import Order
from otop.shipping.carriers import flash
from otop.shipping.errors import CarrierUnavailable, MissingParcelFacts
from otop.shipping.models import (
    BoxSize,
    Carrier,
    PickupHoliday,
    RateBand,
    RemoteArea,
    Service,
    Shipment,
    ShippingSettings,
)
from otop.shipping.parcels import Parcel, choose_box, parcel_for


@dataclass(frozen=True)
class Quote:
    carrier: str
    service: str
    carrier_name: str
    service_name: str
    fee: Decimal
    cod_fee: Decimal | None
    days_min: int
    days_max: int
    service_id: int
    ships_on: date | None = None

    @property
    def option(self) -> str:
        return f"{self.carrier}:{self.service}"

    @property
    def name(self) -> str:
        return f"{self.carrier_name} {self.service_name}".strip()


# How far ahead holidays are looked at: a parcel never waits longer than this for a pickup day.
HOLIDAY_HORIZON = timedelta(days=45)


def pickup_holidays(start: date, carrier_ids: set[int]) -> dict[int | None, set[date]]:
    """The holidays from `start` on (within the horizon), by carrier id; None: those of every carrier."""
    found: dict[int | None, set[date]] = {}
    rows = PickupHoliday.objects.filter(
        Q(carrier__isnull=True) | Q(carrier_id__in=carrier_ids), day__gte=start, day__lte=start + HOLIDAY_HORIZON
    ).values_list("carrier_id", "day")
    for carrier_id, day in rows:
        found.setdefault(carrier_id, set()).add(day)
    return found


def leaves_on(carrier: Carrier, at: datetime | None = None, *, holidays: set[date] | None = None) -> date:
    """The day a parcel handed over at `at` leaves: after the carrier's cut-off time it is the next day,
    and a day the carrier takes no parcels (not one of its `pickup_weekdays`, or a `PickupHoliday` of it or of
    every carrier) moves it on to the next one that it does. `holidays`: given when the caller read them."""
    local = timezone.localtime(at or timezone.now())
    day = local.date()
    if carrier.cutoff_time is not None and local.time() >= carrier.cutoff_time:
        day += timedelta(days=1)
    if holidays is None:
        read = pickup_holidays(day, {carrier.pk} if carrier.pk else set())
        holidays = read.get(None, set()) | read.get(carrier.pk, set())
    weekdays = {int(digit) for digit in carrier.pickup_weekdays if digit.isdigit()} or set(range(7))
    last = day + HOLIDAY_HORIZON
    while day < last and (day.weekday() not in weekdays or day in holidays):
        day += timedelta(days=1)
    return day


def shipping_settings() -> ShippingSettings:
    return ShippingSettings.objects.get_or_create(pk=ShippingSettings.SINGLETON_ID)[0]


def _band_fees(service_ids: list[int], grams: int) -> dict[int, Decimal]:
    """Each service's fee for a parcel: its lightest band that holds the weight (one query)."""
    fees: dict[int, Decimal] = {}
    rows = (
        RateBand.objects.filter(service_id__in=service_ids, up_to_grams__gte=grams)
        .order_by("service_id", "up_to_grams")
        .values_list("service_id", "fee")
    )
    for service_id, fee in rows:
        fees.setdefault(service_id, fee)
    return fees


def _flash_fee(*, sender_postcode: str, postcode: str, grams: int) -> Decimal:
    place = Subdistrict.objects.filter(postcodes__contains=postcode).select_related("district__province").first()
    recipient = flash.Address(
        name="",
        phone="",
        province=place.district.province.name_th if place else "",
        district=place.district.name_th if place else "",
        postcode=postcode,
    )
    sender = flash.Address(name="", phone="", province="", district="", postcode=sender_postcode)
    return flash.estimate_fee(sender=sender, recipient=recipient, weight_grams=grams)


def quotes_for_parcel(*, parcel: Parcel, postcode: str, subtotal: Decimal, now: datetime | None = None) -> list[Quote]:
    """Quotes for a weighed parcel. A carrier whose API fails or is slow (2 s) is left out."""
    now = now or timezone.now()
    config = shipping_settings()
    services = list(Service.objects.filter(is_enabled=True, carrier__is_enabled=True).select_related("carrier"))
    surcharges = dict(
        RemoteArea.objects.filter(postcode=postcode, carrier__in={s.carrier_id for s in services}).values_list(
            "carrier_id", "surcharge"
        )
    )
    is_free = config.free_delivery_from is not None and subtotal >= config.free_delivery_from
    grams = parcel.weight_grams
    band_fees = _band_fees([s.pk for s in services if s.carrier.kind != Carrier.Kind.FLASH], grams)
    closed = pickup_holidays(timezone.localdate(now), {s.carrier_id for s in services})
    quotes = []
    for service in services:
        if grams > service.max_grams:
            continue
        carrier = service.carrier
        if carrier.kind == Carrier.Kind.FLASH:
            try:
                fee = _flash_fee(sender_postcode=config.sender_postcode, postcode=postcode, grams=grams)
            except CarrierUnavailable:
                continue
        else:
            fee = band_fees.get(service.pk)
            if fee is None:
                continue
        fee = to_satang(fee + surcharges.get(carrier.pk, ZERO))
        quotes.append(
            Quote(
                carrier=carrier.code,
                service=service.code,
                carrier_name=localized(carrier, "name"),
                service_name=localized(service, "name"),
                fee=ZERO if is_free else fee,
                cod_fee=carrier.cod_fee if carrier.offers_cod else None,
                days_min=service.days_min,
                days_max=service.days_max,
                service_id=service.pk,
                ships_on=leaves_on(carrier, now, holidays=closed.get(None, set()) | closed.get(carrier.pk, set())),
            )
        )
    return sorted(quotes, key=lambda q: (q.fee, q.days_max, q.carrier, q.service))


def quotes_for_items(*, items: list[tuple[Variant, int]], postcode: str, subtotal: Decimal) -> list[Quote]:
    """Weigh the goods and quote them; raises MissingParcelFacts when a weight is not recorded."""
    return quotes_for_parcel(parcel=parcel_for(items), postcode=postcode, subtotal=subtotal)


def price_parcel_for_order(
    *, items: list[tuple[Variant, int]], postcode: str, subtotal: Decimal, option: str, cash_on_delivery: bool = False
) -> ParcelPrice:
    """The parcel pricer orders call while placing an order (registered from ShippingConfig.ready()).

    An empty option takes the cheapest quote (the cheapest offering COD when the carrier is to collect cash).
    With cash on delivery the fee includes the carrier's COD fee, and the parcel carries the order's total
    to collect. Refusals are InvalidOrder field errors on `delivery.option` or `payment`.
    """
    try:
        parcel = parcel_for(items, boxes=list(BoxSize.objects.all()))
    except MissingParcelFacts as error:
        raise InvalidOrder(error.message, fields={"delivery.option": [error.message]}) from error
    quotes = quotes_for_parcel(parcel=parcel, postcode=postcode, subtotal=subtotal)
    if not quotes:
        message = _("No carrier can take this parcel to this address. Please choose pickup or contact the center.")
        raise InvalidOrder(message, fields={"delivery.option": [message]})
    if option:
        chosen = next((q for q in quotes if q.option == option), None)
        if chosen is None:
            message = _("This delivery option is not offered for this order. Please choose another.")
            raise InvalidOrder(message, fields={"delivery.option": [message]})
    else:
        chosen = next((q for q in quotes if q.cod_fee is not None), quotes[0]) if cash_on_delivery else quotes[0]
    cod_fee = ZERO
    if cash_on_delivery:
        if chosen.cod_fee is None:
            message = _(
                "%(carrier)s does not collect cash on delivery. Please choose another carrier or PromptPay."
            ) % {"carrier": chosen.carrier_name}
            raise InvalidOrder(message, fields={"payment": [message]})
        cod_fee = to_satang(chosen.cod_fee)

    def record(order: Order) -> None:
        Shipment.objects.create(
            order=order,
            service_id=chosen.service_id,
            fee=chosen.fee,
            cod_fee=cod_fee,
            cod_amount=order.total if cash_on_delivery else ZERO,
            weight_grams=parcel.weight_grams,
            box=parcel.box,
        )

    return ParcelPrice(fee=chosen.fee + cod_fee, cod_fee=cod_fee, label=chosen.name, record=record)


@dataclass(frozen=True)
class ItemRate:
    """What one unit of an item costs to ship anywhere in Thailand with one carrier service."""

    service_name: str
    fee: Decimal
    days_min: int
    days_max: int


class ItemRates:
    """The rate tables of every enabled carrier service, read once, for pricing single items without a
    query each (catalogue feeds). Services priced by a carrier's API (Flash) are left out: a feed of
    100,000 items cannot ask for a quote per item. Postcode surcharges are left out too (the feed
    prices the whole country)."""

    def __init__(self, services: list[tuple[str, int, int, int, list[tuple[int, Decimal]]]], boxes, free_from) -> None:
        # (name, heaviest parcel, days min, days max, [(up to grams, fee)] by weight)
        self.services = services
        self.boxes = boxes
        self.free_from = free_from
        self._quote = lru_cache(maxsize=4096)(self._quote_uncached)

    def __bool__(self) -> bool:
        return bool(self.services)

    def quotes(self, *, content_grams: int | None, volume_cm3: int, price: Decimal) -> tuple[ItemRate, ...]:
        """Each service's rate for one unit, cheapest first; empty when the weight is not known."""
        if not content_grams:
            return ()
        is_free = self.free_from is not None and price >= self.free_from
        return self._quote(content_grams, volume_cm3, is_free)

    def _quote_uncached(self, content_grams: int, volume_cm3: int, is_free: bool) -> tuple[ItemRate, ...]:
        box = choose_box(content_grams=content_grams, volume_cm3=volume_cm3, boxes=self.boxes)
        grams = Parcel(content_grams=content_grams, box=box).weight_grams
        rates = []
        for name, max_grams, days_min, days_max, bands in self.services:
            position = bisect_left([up_to for up_to, _fee in bands], grams)
            if grams > max_grams or position == len(bands):
                continue
            fee = ZERO if is_free else to_satang(bands[position][1])
            rates.append(ItemRate(service_name=name, fee=fee, days_min=days_min, days_max=days_max))
        return tuple(sorted(rates, key=lambda rate: (rate.fee, rate.days_max, rate.service_name)))


def item_rates() -> ItemRates:
    """The enabled table-priced services with their weight bands, the boxes and the free-delivery threshold."""
    services = (
        Service.objects.filter(is_enabled=True, carrier__is_enabled=True)
        .exclude(carrier__kind=Carrier.Kind.FLASH)
        .select_related("carrier")
        .prefetch_related("bands")
        .order_by("carrier__sort_order", "carrier__code", "code")
    )
    rows = [
        (
            f"{service.carrier.name_th} {service.name_th}".strip(),
            service.max_grams,
            service.days_min,
            service.days_max,
            sorted((band.up_to_grams, band.fee) for band in service.bands.all()),
        )
        for service in services
    ]
    return ItemRates(
        [row for row in rows if row[4]], list(BoxSize.objects.all()), shipping_settings().free_delivery_from
    )


def rates_fingerprint() -> str:
    """Changes whenever an item's shipping rate may have (services, bands, boxes, the free-delivery threshold)."""
    parts = [
        list(Carrier.objects.order_by("pk").values_list("pk", "kind", "is_enabled", "name_th", "sort_order")),
        list(
            Service.objects.order_by("pk").values_list(
                "pk", "is_enabled", "name_th", "max_grams", "days_min", "days_max"
            )
        ),
        list(RateBand.objects.order_by("pk").values_list("service_id", "up_to_grams", "fee")),
        list(
            BoxSize.objects.order_by("pk").values_list(
                "pk", "packaging_grams", "length_cm", "width_cm", "height_cm", "max_content_grams"
            )
        ),
        shipping_settings().free_delivery_from,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
