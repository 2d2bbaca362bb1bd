"""Catalogue feeds at scale: `manage.py build_feeds` over BENCH_FEED_PRODUCTS (default 100,000) listed products,
timed, with the builder's peak memory (ru_maxrss of that one process, from os.wait4). Goal: < 30 s, < 200 MB.

    python -m bench.feeds            (run by `make bench`; BENCH_DATABASE_URL for PostgreSQL)

The catalogue is bulk-loaded once into its own database (an SQLite file under var/bench/ by default):
products with a default variant each, every tenth with two more variants, stock on the online shelf for
most, a long Thai description with some HTML in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 30
GOAL_MB = 200


def _env(products: int) -> dict[str, str]:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="otop.settings",
        DEBUG="false",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{bench_dir / f'feeds-{products}.sqlite3'}",
        MEDIA_ROOT=str(bench_dir / "feeds-media"),
        TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    return env


def load(products: int) -> None:
    """Bulk-load the catalogue (in this process; called as `python -m bench.feeds --load N`)."""
    import django

    django.setup()
    from decimal import Decimal

    from django.db import transaction

    from otop.catalog.models import Category, Product, Variant
    from otop.inventory.models import Location, StockLevel
    from otop.producers.tests.factories import ProducerFactory

    have = Product.objects.filter(sku__startswith="FEED-").count()
    if have >= products:
        return
    categories = list(Category.objects.all())
    producers = [ProducerFactory() for _ in range(50)]
    online = Location.objects.get(code=Location.Code.ONLINE)
    description = "<p>ผ้าไหมมัดหมี่ทอมือจากกลุ่มแม่บ้าน &amp; ย้อมสีธรรมชาติ</p> " * 8
    batch = 5000
    for start in range(have, products, batch):
        with transaction.atomic():
            rows = [
                Product(
                    code=f"f{n:010d}",
                    sku=f"FEED-{n:07d}",
                    name_th=f"ผ้าไหมมัดหมี่ ลายนาคน้อย {n}",
                    name_en=f"Mudmee silk {n}",
                    description_th=description,
                    category=categories[n % len(categories)],
                    producer=producers[n % len(producers)],
                    status=Product.Status.LISTED,
                    otop_stars=n % 5 + 1,
                )
                for n in range(start, min(products, start + batch))
            ]
            made = Product.objects.bulk_create(rows)
            if made[0].pk is None:  # databases that return no ids
                made = list(Product.objects.filter(sku__in=[p.sku for p in rows]).order_by("id"))
            variants = []
            for product in made:
                n = int(product.sku[5:])
                variants.append(
                    Variant(product=product, sku=product.sku, price=Decimal(100 + n % 900), is_default=True)
                )
                if n % 10 == 0:
                    variants += [
                        Variant(
                            product=product, sku=f"{product.sku}-{c}", price=Decimal("350.00"), name_th=c, sort_order=i
                        )
                        for i, c in enumerate(("แดง", "คราม"), start=1)
                    ]
            variants = Variant.objects.bulk_create(variants)
            if variants[0].pk is None:
                variants = list(Variant.objects.filter(product__in=made))
            StockLevel.objects.bulk_create(
                StockLevel(variant=v, location=online, on_hand=(v.pk % 7)) for v in variants if v.pk % 7
            )
        print(f"  loaded {min(products, start + batch)} products", flush=True)


def main() -> int:
    products = int(os.environ.get("BENCH_FEED_PRODUCTS", "100000"))
    env = _env(products)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run([python, "-m", "bench.feeds", "--load", str(products)], cwd=ROOT, env=env, check=True)
    print(f"catalogue of {products} products ready in {time.monotonic() - started:.1f} s", flush=True)

    started = time.monotonic()
    builder = subprocess.Popen([python, "manage.py", "build_feeds"], cwd=ROOT, env=env)
    _pid, status, usage = os.wait4(builder.pid, 0)
    seconds = time.monotonic() - started
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    load = os.getloadavg()
    result = {
        "case": "channels: build_feeds (4 feeds, one pass)",
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
        "products": products,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "goal": f"< {GOAL_SECONDS} s, < {GOAL_MB} MB",
        "exit_status": os.waitstatus_to_exitcode(status),
        "load_average_1m": round(load[0], 2),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    out = ROOT / "var" / "bench" / f"results-feeds-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["exit_status"] == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--load":
        sys.path.insert(0, str(ROOT))
        load(int(sys.argv[2]))
    else:
        sys.exit(main())
