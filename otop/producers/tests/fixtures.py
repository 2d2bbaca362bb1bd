"""Fixtures other apps' tests use too."""

from __future__ import annotations

import pytest
from django.test import Client

from otop.producers.models import BankAccount
from otop.producers.tests.factories import BankAccountFactory, ProducerFactory


@pytest.fixture
def two_producers(make_user):
    mine_user = make_user("producer", phone="0861112222")
    mine = ProducerFactory(user=mine_user, name_th="กลุ่มของฉัน")
    other = ProducerFactory(user=make_user("producer", phone="0863334444"), name_th="กลุ่มอื่น")
    BankAccountFactory(producer=mine, status=BankAccount.Status.CONFIRMED, account_number="1111111111")
    BankAccountFactory(producer=other, status=BankAccount.Status.CONFIRMED, account_number="2222222222")
    client = Client()
    client.force_login(mine_user)
    return mine, other, client
