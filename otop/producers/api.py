"""Producer registry API (mounted through the selection router, see otop/selection/api.py).

Producers read and change only their own record; staff read all; bank details only with
producers.view_bankaccount (so never for committee members), and then with the number masked.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import require_permission, signed_in
from otop.core.apitypes import NOT_BLANK, Email, Id, Limit, Offset, Phone, Text, errors
from otop.producers import selectors, services
from otop.producers.models import Producer

router = Router(tags=["producers"], auth=signed_in)


class BankAccountOut(Schema):
    bank: str
    # In full for the producer's own record; staff get it masked (all but the last four digits hidden) and
    # see it in full only on the back office page, where each look is audited.
    account_number: str
    account_name: str
    status: str


class ProducerOut(Schema):
    id: int
    kind: str
    name_th: str
    name_en: str
    contact_name: str
    phone: str
    line_id: str
    province: str
    district: str
    postcode: str
    otop_stars: int | None
    story_th: str
    bank_accounts: list[BankAccountOut] | None = None


class ProducerChange(Schema):
    name_th: Text(200, min_length=1, pattern=NOT_BLANK) | None = None
    name_en: Text(200) | None = None
    contact_name: Text(200) | None = None
    phone: Phone | None = None
    line_id: Text(50) | None = None
    email: Email | None = None
    story_th: Text(10000) | None = None
    story_en: Text(10000) | None = None


def _out(producer: Producer, *, with_bank: bool, own: bool = False) -> ProducerOut:
    return ProducerOut(
        id=producer.pk,
        kind=producer.kind,
        name_th=producer.name_th,
        name_en=producer.name_en,
        contact_name=producer.contact_name,
        phone=producer.phone,
        line_id=producer.line_id,
        province=producer.province.name_th,
        district=producer.district.name_th,
        postcode=producer.postcode,
        otop_stars=producer.otop_stars,
        story_th=producer.story_th,
        bank_accounts=[
            BankAccountOut(
                bank=a.bank,
                account_number=a.account_number if own else a.masked_number,
                account_name=a.account_name,
                status=a.status,
            )
            for a in producer.bank_accounts.all()
        ]
        if with_bank
        else None,
    )


def _own_producer(request: HttpRequest) -> Producer:
    require_permission(request, "accounts.use_producer_portal")
    producer = selectors.producer_of(request.user)
    if producer is None:
        raise PermissionDenied
    return producer


@router.get("/producers", response=list[ProducerOut], summary="The producer registry (staff)")
def list_producers(request: HttpRequest, limit: Limit(500) = 100, offset: Offset = 0):
    require_permission(request, "producers.view_producer")
    with_bank = request.user.has_perm("producers.view_bankaccount")
    rows = selectors.registry().prefetch_related("bank_accounts")[offset : offset + limit]
    return [_out(producer, with_bank=with_bank) for producer in rows]


@router.get("/producers/me", response=ProducerOut, summary="The signed-in producer's own record")
def my_producer(request: HttpRequest):
    return _out(_own_producer(request), with_bank=True, own=True)


@router.patch(
    "/producers/me", response={200: ProducerOut, **errors(409)}, summary="Change the signed-in producer's own profile"
)
def change_my_producer(request: HttpRequest, payload: ProducerChange):
    producer = _own_producer(request)
    changes = payload.dict(exclude_none=True)
    producer = services.update_producer(actor=acting_user(request), producer=producer, **changes)
    return _out(producer, with_bank=True, own=True)


@router.get(
    "/producers/{producer_id}",
    response={200: ProducerOut, **errors(404)},
    summary="One producer (staff, or the producer itself)",
)
def get_producer(request: HttpRequest, producer_id: Id):
    own = selectors.producer_of(request.user)
    if own is not None and own.pk == producer_id:
        return _out(own, with_bank=True, own=True)
    require_permission(request, "producers.view_producer")
    try:
        producer = selectors.producer_with_details(producer_id=producer_id)
    except Producer.DoesNotExist as error:
        raise Http404 from error
    return _out(producer, with_bank=request.user.has_perm("producers.view_bankaccount"))
