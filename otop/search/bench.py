"""Search quality and speed: a judged query set against the demo catalogue (otop/demo/data.py).

Each query names the demo item whose products should come first; every product whose Thai name
starts with that item is relevant (grade 1). Reported: nDCG@10 over the set and p95 latency of
search_products(limit=20) on the seeded database (BENCH_PRODUCTS=100000 for the figure at 100,000 products).
"""

from __future__ import annotations

import math

from bench.harness import Context, TimedCase
from otop.catalog.models import Product

# (query, Thai name of the demo item that should come first)
JUDGED = [
    ("ไส้กรอก", "ไส้กรอกอีสาน"), ("sai krok", "ไส้กรอกอีสาน"), ("sausage", "ไส้กรอกอีสาน"),
    ("มัดหมี่", "ผ้าไหมมัดหมี่"), ("มัดหมี", "ผ้าไหมมัดหมี่"), ("mudmee", "ผ้าไหมมัดหมี่"),
    ("ผ้าขาวม้า", "ผ้าขาวม้า"), ("ผาขาวมา", "ผ้าขาวม้า"), ("pha khao ma", "ผ้าขาวม้า"),
    ("ข้าวหอมมะลิ", "ข้าวหอมมะลิ"), ("jasmine rice", "ข้าวหอมมะลิ"), ("หอมมะลิ", "ข้าวหอมมะลิ"),
    ("แหนม", "แหนมหมู"), ("naem", "แหนมหมู"), ("น้ำพริกปลาร้า", "น้ำพริกปลาร้า"), ("ปลาร้า", "น้ำพริกปลาร้า"),
    ("กล้วยตาก", "กล้วยตาก"), ("ชาใบหม่อน", "ชาใบหม่อน"), ("ชาใบหมอน", "ชาใบหม่อน"), ("mulberry tea", "ชาใบหม่อน"),
    ("น้ำผึ้ง", "น้ำผึ้งดอกไม้ป่า"), ("honey", "น้ำผึ้งดอกไม้ป่า"), ("ปลาส้ม", "ปลาส้ม"), ("ทองม้วน", "ทองม้วน"),
    ("ข้าวเกรียบปลา", "ข้าวเกรียบปลา"), ("ผ้าฝ้ายทอมือ", "ผ้าฝ้ายทอมือ"), ("เสื้อผ้าฝ้าย", "เสื้อผ้าฝ้าย"),
    ("ผ้าพันคอ", "ผ้าพันคอไหม"), ("silk scarf", "ผ้าพันคอไหม"), ("ตีนจก", "ผ้าซิ่นตีนจก"),
    ("ตะกร้าสาน", "ตะกร้าสานไม้ไผ่"), ("bamboo basket", "ตะกร้าสานไม้ไผ่"), ("กระติบ", "กระติบข้าวเหนียว"),
    ("เสื่อกก", "เสื่อกก"), ("โคมไฟ", "โคมไฟไม้ไผ่"), ("หมอนขิด", "หมอนขิด"), ("แจกัน", "แจกันดินเผา"),
    ("พวงกุญแจ", "พวงกุญแจผ้าไหม"), ("ไดโนเสาร์", "ตุ๊กตาไดโนเสาร์ภูเวียง"), ("dinosaur", "ตุ๊กตาไดโนเสาร์ภูเวียง"),
    ("แม่เหล็ก", "แม่เหล็กติดตู้เย็น"), ("โปสการ์ด", "โปสการ์ดภาพวาด"), ("ยาหม่อง", "ยาหม่องสมุนไพร"),
    ("สบู่", "สบู่สมุนไพร"), ("herbal soap", "สบู่สมุนไพร"), ("ลูกประคบ", "ลูกประคบสมุนไพร"),
    ("น้ำมันเหลือง", "น้ำมันเหลือง"), ("แชมพูมะกรูด", "แชมพูมะกรูด"), ("shampoo", "แชมพูมะกรูด"),
]  # fmt: skip


def ndcg_at_10() -> float:
    from otop.search.selectors import search_products

    scores = []
    for query, item in JUDGED:
        hits = search_products(query, limit=10)
        gains = [1 if hit.product.name_th.startswith(item + " ") else 0 for hit in hits]
        dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))

        relevant = Product.objects.filter(status="listed", name_th__startswith=item + " ").count()
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(10, relevant)))
        scores.append(dcg / ideal if ideal else 0.0)
    return sum(scores) / len(scores)


def timed_cases(context: Context) -> list[TimedCase]:
    from otop.search.selectors import search_products

    extra: dict = {"queries": len(JUDGED)}

    def setup() -> None:
        search_products("warm up", limit=1)
        extra["nDCG@10"] = round(ndcg_at_10(), 3)

    def run(iteration: int) -> None:
        search_products(JUDGED[iteration % len(JUDGED)][0], limit=20)

    return [
        TimedCase(
            name=f"search ({context.products} products)",
            run=run,
            iterations=len(JUDGED) * 6,
            setup=setup,
            goal="p95 < 30 ms",
            extra=extra,
        )
    ]
