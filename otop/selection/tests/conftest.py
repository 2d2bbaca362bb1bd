from __future__ import annotations

import pytest
from django.utils import timezone

from otop.producers.tests.factories import ProducerFactory
from otop.selection import services
from otop.selection.models import Criterion
from otop.selection.tests.factories import ApplicationFactory


@pytest.fixture
def committee(make_user):
    return [make_user("committee", first_name=f"กรรมการ{n}") for n in range(1, 4)]


@pytest.fixture
def staff(make_user):
    return make_user("staff")


@pytest.fixture
def producer_user(make_user):
    return make_user("producer", phone="0891112222")


@pytest.fixture
def producer(producer_user):
    return ProducerFactory(user=producer_user, email="weavers@example.com")


@pytest.fixture
def under_review(committee, staff, producer, producer_user):
    """An application sent by the producer, on a meeting's agenda chaired by the first committee member."""
    template = ApplicationFactory.build(producer=producer)
    application = services.submit_application(
        actor=producer_user,
        producer=producer,
        category=template.category,
        name_th=template.name_th,
        name_en=template.name_en,
        proposed_price=template.proposed_price,
        description_th=template.description_th,
    )
    services.plan_meeting(
        actor=staff,
        title="ประชุมคัดเลือกครั้งที่ 1/2569",
        held_on=timezone.localdate(),
        chair=committee[0],
        applications=[application],
    )
    application.refresh_from_db()
    return application


def all_criteria(value: int) -> dict[int, int]:
    return {criterion.pk: value for criterion in Criterion.objects.filter(is_active=True)}
