"""Build a believable, deterministic demo center. Running it again adds only what is missing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from otop.accounts import roles
from otop.accounts.models import User
from otop.accounts.services import create_user
from otop.catalog.barcodes import in_store_ean13
from otop.catalog.models import Category, Product, Variant
from otop.catalog.signals import send_products_changed
from otop.core.discovery import feature_modules
from otop.core.models import CenterProfile
from otop.demo.data import DEMO_PASSWORD, GROUP_KINDS, ITEMS, OTHER_PROVINCES, VILLAGES
from otop.geo.models import District, Province, Subdistrict
from otop.producers.models import Producer

DEMO_PREFIX = "DEMO"
BATCH = 2000


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    phone: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("manager", roles.MANAGER),
    DemoAccount("staff", roles.STAFF),
    DemoAccount("cashier", roles.CASHIER),
    DemoAccount("committee1", roles.COMMITTEE),
    DemoAccount("committee2", roles.COMMITTEE),
    DemoAccount("committee3", roles.COMMITTEE),
    DemoAccount("producer", roles.PRODUCER, phone="0812345678"),
    DemoAccount("customer", roles.CUSTOMER),
    DemoAccount("province", roles.PROVINCE_OFFICER),
]


@dataclass(frozen=True)
class SeedReport:
    producers_created: int
    products_created: int
    accounts_created: int


def seed_demo(*, products: int = 300, seed: int = 2569) -> SeedReport:
    """Create demo staff, producers in every district of the center's province, and products."""
    profile = CenterProfile.objects.select_related("province").get(pk=CenterProfile.SINGLETON_ID)
    with transaction.atomic():
        _fill_center_profile(profile)
        accounts = _seed_accounts()
        producers_created = _seed_producers(profile.province, random.Random(seed))
        producer = Producer.objects.filter(otop_registration_number=f"{DEMO_PREFIX}-0001").first()
        if producer and producer.user_id is None:
            producer.user = User.objects.get(username="producer")
            producer.save(update_fields=["user"])
    products_created = _seed_products(products, seed)
    _seed_feature_apps(products=products, seed=seed)
    return SeedReport(producers_created=producers_created, products_created=products_created, accounts_created=accounts)


def _seed_feature_apps(*, products: int, seed: int) -> None:
    """Let each feature app add its demo data: otop/<app>/demo.py with seed(*, products, seed).

    Each must be idempotent and deterministic like this module; they run in INSTALLED_APPS order.
    """

    for module in feature_modules("demo"):
        module.seed(products=products, seed=seed)


def _fill_center_profile(profile: CenterProfile) -> None:
    if profile.phone:
        return
    profile.phone = "043000000"
    profile.email = "contact@otop-khonkaen.example"
    profile.facebook_url = "https://www.facebook.com/otopkhonkaen.example"
    profile.line_oa_id = "@otopkhonkaen"
    profile.promptpay_id = "0994000000006"
    profile.tax_id = "0994000000006"
    profile.save(update_fields=["phone", "email", "facebook_url", "line_oa_id", "promptpay_id", "tax_id"])


def _seed_accounts() -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            first_name=account.username.capitalize(),
            phone=account.phone,
        )
        created += 1
    return created


def _seed_producers(home: Province, rng: random.Random) -> int:
    if Producer.objects.filter(otop_registration_number__startswith=f"{DEMO_PREFIX}-").exists():
        return 0
    districts = list(District.objects.filter(province=home).order_by("code"))
    for name in OTHER_PROVINCES:
        province = Province.objects.get(name_th=name)
        districts.append(District.objects.filter(province=province).order_by("code").first())
    first_subdistricts = {
        s.district_id: s for s in Subdistrict.objects.filter(district__in=districts).order_by("district_id", "code")
    }
    producers = []
    number = 0
    for district in districts:
        per_district = 3 if district.province_id == home.code else 1
        for _index in range(per_district):
            number += 1
            kind_th, kind_en = GROUP_KINDS[number % len(GROUP_KINDS)]
            village_th, village_en = VILLAGES[number % len(VILLAGES)]
            subdistrict = first_subdistricts.get(district.code)
            years = rng.randint(5, 40)  # one figure for both languages' story
            producers.append(
                Producer(
                    kind=Producer.Kind.COMMUNITY_ENTERPRISE if "วิสาหกิจ" in kind_th else Producer.Kind.GROUP,
                    name_th=f"{kind_th}{village_th}",
                    name_en=f"{village_en} {kind_en}",
                    contact_name=f"คุณสมศรี {number}",
                    phone=f"08{rng.randint(10000000, 99999999)}",
                    province_id=district.province_id,
                    district=district,
                    subdistrict=subdistrict,
                    postcode=subdistrict.postcode_list[0] if subdistrict else "",
                    otop_registration_number=f"{DEMO_PREFIX}-{number:04d}",
                    otop_stars=rng.randint(2, 5),
                    story_th=f"{kind_th}{village_th} อำเภอ{district.name_th} รวมตัวกันสืบทอดภูมิปัญญาท้องถิ่นมากว่า {years} ปี",
                    story_en=f"The {village_en} {kind_en} in {district.name_en} district has kept local know-how alive "
                    f"for more than {years} years.",
                )
            )
    Producer.objects.bulk_create(producers)
    return len(producers)


def _seed_products(target: int, seed: int) -> int:
    existing = Product.objects.filter(sku__startswith=f"{DEMO_PREFIX}-").count()
    if existing >= target:
        return 0
    categories = {c.code: c for c in Category.objects.all()}
    producers = list(
        Producer.objects.filter(otop_registration_number__startswith=f"{DEMO_PREFIX}-")
        .select_related("district")
        .order_by("otop_registration_number")
    )
    catalogue = [(code, item) for code in ITEMS for item in ITEMS[code]]
    created = 0
    for start in range(existing, target, BATCH):
        end = min(start + BATCH, target)
        batch = [_demo_product(index, seed, catalogue, categories, producers) for index in range(start, end)]
        with transaction.atomic():
            Product.objects.bulk_create([product for product, _variants in batch])
            saved = dict(
                Product.objects.filter(sku__in=[product.sku for product, _v in batch]).values_list("sku", "id")
            )
            variants = []
            for product, product_variants in batch:
                for variant in product_variants:
                    variant.product_id = saved[product.sku]
                    variants.append(variant)
            Variant.objects.bulk_create(variants)
            send_products_changed(product_ids=saved.values())  # indexed for search when the batch commits
        created += end - start
    return created


def _demo_product(index, seed, catalogue, categories, producers):
    rng = random.Random(seed * 1_000_003 + index)
    category_code, (name_th, name_en, (low, high), weight, styles) = catalogue[index % len(catalogue)]
    producer = producers[(index * 7 + index // len(catalogue)) % len(producers)]
    style_th, style_en = styles[(index // len(catalogue)) % len(styles)]
    price = Decimal(rng.randrange(low * 100, high * 100, 500)) / 100
    sku = f"{DEMO_PREFIX}-{index + 1:06d}"
    district = producer.district
    product = Product(
        code=_short_code(index),
        sku=sku,
        name_th=f"{name_th} {style_th}",
        name_en=f"{name_en}, {style_en}",
        category=categories[category_code],
        producer=producer,
        description_th=f"{name_th}{style_th} จาก{producer.name_th} อำเภอ{district.name_th}",
        description_en=f"{name_en} ({style_en}) from {producer.name_en}, {district.name_en} district.",
        story_th=(
            f"{producer.name_th} อำเภอ{district.name_th} ผลิต{name_th}ด้วยมือทุกชิ้น ใช้วัตถุดิบจากชุมชนและภูมิปัญญาที่ส่งต่อกันมาหลายรุ่น"
        ),
        story_en=(
            f"{producer.name_en} in {district.name_en} makes every piece of {name_en.lower()} by hand, "
            f"with materials from the community and skills passed down the generations."
        ),
        status=Product.Status.LISTED if index % 20 else Product.Status.DRAFT,
        otop_stars=producer.otop_stars,
        weight_grams=weight,
    )
    variants = [
        Variant(sku=sku, barcode=in_store_ean13(index * 4 + 1), price=price, is_default=True, weight_grams=weight)
    ]
    if category_code == "textiles" and index % 3 == 0:
        for number, (colour_th, colour_en) in enumerate([("สีแดง", "red"), ("สีคราม", "indigo")], start=1):
            variants.append(
                Variant(
                    sku=f"{sku}-{number}",
                    barcode=in_store_ean13(index * 4 + 1 + number),
                    name_th=colour_th,
                    name_en=colour_en,
                    price=price + 100 * number,
                    sort_order=number,
                    weight_grams=weight,
                )
            )
    return product, variants


_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def _short_code(index: int) -> str:
    """A short, stable code for the QR link of demo product number `index`."""
    number = index * 7919 + 104729
    letters = []
    while number:
        number, digit = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[digit])
    return "d" + "".join(reversed(letters))
