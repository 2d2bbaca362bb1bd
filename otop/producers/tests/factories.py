from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from otop.geo.models import District, Province, Subdistrict
from otop.producers.models import BankAccount, Certification, Producer


def khon_kaen_place() -> dict:
    province = Province.objects.get(name_th="ขอนแก่น")
    district = District.objects.filter(province=province).order_by("code").first()
    subdistrict = Subdistrict.objects.filter(district=district).order_by("code").first()
    return {
        "province": province,
        "district": district,
        "subdistrict": subdistrict,
        "postcode": subdistrict.postcode_list[0],
    }


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    kind = Producer.Kind.GROUP
    name_th = factory.Sequence(lambda n: f"กลุ่มทอผ้าบ้านโนน {n}")
    name_en = factory.Sequence(lambda n: f"Ban Non weavers {n}")
    contact_name = "สมศรี ใจดี"
    phone = "0812345670"
    email = factory.Sequence(lambda n: f"group{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        for name, value in khon_kaen_place().items():
            kwargs.setdefault(name, value)
        return super()._create(model_class, *args, **kwargs)


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    producer = factory.SubFactory(ProducerFactory)
    kind = Certification.Kind.TCPS
    number = factory.Sequence(lambda n: f"มผช.{n}/2566")


class BankAccountFactory(DjangoModelFactory):
    class Meta:
        model = BankAccount

    producer = factory.SubFactory(ProducerFactory)
    bank = BankAccount.Bank.BAAC
    account_number = "0201234567"
    account_name = "กลุ่มทอผ้าบ้านโนน"
