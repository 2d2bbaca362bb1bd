"""Past one machine, on one machine (`make test-cluster`; issue 23's item 6): PostgreSQL + Redis + an S3 API
server + nginx + two app servers + two task workers + two clocks on 127.0.0.1.

The tests run in this order against one cluster; the last one kills app server A.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import io
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import urllib3
from PIL import Image

from otop.core.tests import servers
from tests.cluster.harness import CLOCK_JOB, CLOCK_SPEED, ROOT, Cluster, hashed_static_paths, json_lines

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
PASSWORD = "cluster-manager-password-2569"
UNITS = 10
BUYERS = 40


@pytest.fixture(scope="module")
def cluster(django_db_blocker, tmp_path_factory):
    import os

    workdir = tmp_path_factory.mktemp("cluster")
    started = time.monotonic()
    with (
        servers.redis_server() as redis_url,
        servers.s3_server(buckets=("otop-private",), public_buckets=("otop-media",)) as s3_endpoint,
    ):
        cluster = Cluster(workdir=workdir, database_url=os.environ["DATABASE_URL"])
        cluster.redis_url, cluster.s3_endpoint = redis_url, s3_endpoint
        # The public address (MEDIA_URL, CSRF_TRUSTED_ORIGINS) is known before the app servers start.
        cluster.nginx_port = servers.free_port()
        try:
            cluster.manage("migrate", "--noinput", "-v0")
            with django_db_blocker.unblock():
                cluster.seed = seed()
            for name in ("a", "b"):
                cluster.start_app_server(name)
            cluster.start_worker("worker-1")
            cluster.start_worker("worker-2")
            cluster.clock_started_at = time.time()
            cluster.start_clock("clock-1")
            cluster.start_clock("clock-2")
            cluster.start_nginx()
            cluster.wait_until_up()
            cluster.warm_up()
            print(f"cluster up in {time.monotonic() - started:.1f} s")
            yield cluster
        finally:
            cluster.stop()


def seed() -> dict:
    """What the tests work on: a product with 10 units, one with 200, a manager (made as staff would)."""
    from otop.accounts.services import create_user
    from otop.catalog.tests.factories import ProductFactory
    from otop.core.models import CenterProfile
    from otop.inventory import services as inventory
    from otop.inventory.models import Location

    shelf = Location.objects.filter(sells_online=True).order_by("reserve_priority").first()
    scarce = ProductFactory(
        code="clscarce", sku="CLUSTER-SCARCE", weight_grams=500, default_variant__price=Decimal("990.00")
    )
    plenty = ProductFactory(code="clplenty", sku="CLUSTER-PLENTY", weight_grams=500)
    inventory.receive_stock(variant=scarce.variants.get(), location=shelf, quantity=UNITS, actor=None)
    inventory.receive_stock(variant=plenty.variants.get(), location=shelf, quantity=200, actor=None)
    create_user(username="cluster-manager", password=PASSWORD, role="manager")
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0801234567")
    return {"scarce": scarce, "plenty": plenty}


class Browser:
    """A visitor's browser as the proxy would forward it to one app server (or through nginx itself)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {
            "Host": f"127.0.0.1:{self.cluster.nginx_port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.7",
            "Referer": f"{self.cluster.site}/",
            "Origin": self.cluster.site,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, server: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method,
            self.cluster.app_url(server) + path,
            headers=self._headers(kwargs.pop("headers", None)),
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def csrf_token(self, server: str, path: str) -> str:
        page = self.request("GET", server, path)
        assert page.status_code == 200, (path, page.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def sign_in(self, server: str) -> None:
        token = self.csrf_token(server, "/accounts/login/")
        answer = self.request(
            "POST",
            server,
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": "cluster-manager", "password": PASSWORD},
        )
        assert answer.status_code == 302, answer.text[:500]


def story_page(cluster: Cluster, server: str, code: str) -> str:
    response = Browser(cluster).request("GET", server, f"/products/{code}/")
    assert response.status_code == 200
    return response.text


def png(width: int = 640, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (160, 40, 90)).save(buffer, "PNG")
    return buffer.getvalue()


# --- 1. a price changed through A is shown by B at once ------------------------------------------------


def test_a_session_from_server_a_works_on_server_b(cluster):
    browser = Browser(cluster)
    browser.sign_in("a")
    assert browser.request("GET", "b", "/accounts/").status_code == 200
    assert browser.request("GET", "b", "/backoffice/").status_code == 200
    # A stranger is sent to sign in on either.
    assert Browser(cluster).request("GET", "b", "/accounts/").status_code == 302


def test_a_price_changed_through_a_is_shown_by_b_at_once(cluster, django_db_blocker):
    product = cluster.seed["plenty"]
    assert "฿1,500.00" in story_page(cluster, "b", product.code)  # B has the page cached now
    browser = Browser(cluster)
    browser.sign_in("a")
    path = f"/backoffice/catalog/products/{product.pk}/"
    form = {
        "csrfmiddlewaretoken": browser.csrf_token("a", path),
        "sku": product.sku,
        "name_th": product.name_th,
        "name_en": product.name_en,
        "category": product.category_id,
        "producer": product.producer_id,
        "status": product.status,
        "story_th": product.story_th,
        "story_en": product.story_en,
        "weight_grams": product.weight_grams,
        "price": "1234.50",
    }
    answer = browser.request("POST", "a", path, data=form)
    assert answer.status_code == 302, answer.text[:2000]
    page = story_page(cluster, "b", product.code)
    assert "฿1,234.50" in page and "฿1,500.00" not in page


# --- 2. a photo uploaded through A is served through B -------------------------------------------------


def test_a_photo_uploaded_through_a_is_served_through_b(cluster):
    product = cluster.seed["plenty"]
    browser = Browser(cluster)
    browser.sign_in("a")
    path = f"/backoffice/catalog/products/{product.pk}/photos/"
    token = browser.csrf_token("a", f"/backoffice/catalog/products/{product.pk}/")
    answer = browser.request(
        "POST",
        "a",
        path,
        data={"csrfmiddlewaretoken": token, "alt_th": "ภาพทดสอบ"},
        files={"photo": ("silk.png", png(), "image/png")},
    )
    assert answer.status_code == 302, answer.text[:1000]
    page = story_page(cluster, "b", product.code)
    urls = sorted(set(re.findall(re.escape(cluster.site) + r"/media/[^\s\"',]+", page)))
    assert urls, re.findall(r"<(?:img|source)[^>]*>", page)[:6]
    for url in urls[:3]:
        photo = requests.get(url, verify=False, timeout=60)
        assert photo.status_code == 200
        assert photo.headers["Content-Type"] in {"image/png", "image/webp", "image/jpeg"}
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in photo.headers["Content-Security-Policy"]
        Image.open(io.BytesIO(photo.content)).verify()
    # Only pictures leave the bucket through the proxy; anything else, or a missing name, is a 404.
    assert requests.get(f"{cluster.site}/media/catalog/nothing-here.png", verify=False).status_code == 404
    assert requests.get(f"{cluster.site}/media/catalog/page.html", verify=False).status_code == 404


# --- 3. 40 buyers of 10 units, over both servers, buy exactly 10 -----------------------------------------


def place_order(cluster: Cluster, server: str | None, sku: str, buyer: int, key: str | None = None, email: str = ""):
    body = {
        "items": [{"sku": sku, "qty": 1}],
        "customer": {"name": f"ผู้ซื้อ {buyer}", "phone": f"08{buyer:08d}", "email": email},
        "delivery": {"method": "pickup"},
        "payment_method": "promptpay",
    }
    headers = {"X-Forwarded-For": f"10.1.{buyer // 250}.{buyer % 250 + 1}", "X-Forwarded-Proto": "https"}
    if key:
        headers["Idempotency-Key"] = key
    base = cluster.site if server is None else cluster.app_url(server)
    return requests.post(f"{base}/api/v1/orders", json=body, headers=headers, timeout=120, verify=False)


def test_forty_buyers_of_ten_units_over_both_servers_buy_exactly_ten(cluster, django_db_blocker):
    sku = cluster.seed["scarce"].sku
    barrier = threading.Barrier(BUYERS)

    def buy(buyer: int) -> int:
        barrier.wait()
        return place_order(cluster, "ab"[buyer % 2], sku, buyer).status_code

    with ThreadPoolExecutor(BUYERS) as pool:
        answers = list(pool.map(buy, range(BUYERS)))
    assert sorted(set(answers)) == [201, 409], answers
    assert answers.count(201) == UNITS
    with django_db_blocker.unblock():
        from otop.inventory.models import StockLevel
        from otop.orders.models import OrderLine

        level = StockLevel.objects.get(variant__sku=sku, on_hand__gt=0)
        assert (level.on_hand, level.reserved) == (UNITS, UNITS)
        assert OrderLine.objects.filter(variant__sku=sku).count() == UNITS


# --- 4. the proxy: static files, gzip, X-Forwarded-Proto, upload limit, webhooks, two upstreams -------------


def test_nginx_serves_hashed_static_files_for_a_year_gzipped(cluster):
    home = requests.get(f"{cluster.site}/", verify=False, timeout=60)
    assert home.status_code == 200
    assert home.headers["X-Request-ID"] and len(home.headers["X-Request-ID"]) == 32
    stylesheet = next(path for path in hashed_static_paths(home.text) if path.endswith(".css"))
    answer = requests.get(f"{cluster.site}{stylesheet}", verify=False, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "text/css" in answer.headers["Content-Type"]


def test_the_app_trusts_only_the_proxys_x_forwarded_proto(cluster):
    # Straight to an app server over plain HTTP: sent to HTTPS.
    direct = requests.get(f"{cluster.app_url('a')}/accounts/login/", allow_redirects=False, timeout=60)
    assert direct.status_code == 301 and direct.headers["Location"].startswith("https://")
    # Through nginx a client's own claim is overwritten with the real scheme (https here): no redirect loop.
    proxied = requests.get(
        f"{cluster.site}/accounts/login/", headers={"X-Forwarded-Proto": "http"}, verify=False, allow_redirects=False
    )
    assert proxied.status_code == 200
    assert "Secure" in proxied.headers["Set-Cookie"]


def test_nginx_refuses_an_upload_over_the_limit_before_it_reaches_the_app(cluster):
    connection = http.client.HTTPSConnection(
        "127.0.0.1", cluster.nginx_port, context=ssl._create_unverified_context(), timeout=10
    )
    connection.putrequest("POST", "/backoffice/catalog/import/")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(30 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413


def test_a_webhook_reaches_the_app_with_its_raw_body(cluster):
    body = b'{"destination":"U0123456789abcdef0123456789abcdef","events":[]}'
    signature = base64.b64encode(hmac.new(cluster.line_secret.encode(), body, hashlib.sha256).digest()).decode()
    headers = {"Content-Type": "application/json", "x-line-signature": signature}
    signed = requests.post(f"{cluster.site}/line/webhook", data=body, headers=headers, verify=False)
    assert signed.status_code == 200
    tampered = requests.post(
        f"{cluster.site}/line/webhook", data=body.replace(b"[]", b"[ ]"), headers=headers, verify=False
    )
    assert tampered.status_code in {400, 401, 403}


def requests_counted(cluster: Cluster, server: str) -> float:
    text = requests.get(f"{cluster.app_url(server)}/metrics", timeout=60).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("django_http_requests_total_by_transport_total{")
    )


def test_both_upstreams_serve_and_metrics_stay_inside(cluster):
    before = {server: requests_counted(cluster, server) for server in "ab"}
    for _ in range(8):
        assert requests.get(f"{cluster.site}/healthz", verify=False).json()["status"] == "ok"
    after = {server: requests_counted(cluster, server) for server in "ab"}
    assert all(after[server] > before[server] for server in "ab"), (before, after)
    assert requests.get(f"{cluster.site}/metrics", verify=False).status_code == 404
    metrics = requests.get(f"{cluster.app_url('b')}/metrics", timeout=60).text
    assert re.search(r"^otop_task_queue_depth \d", metrics, re.M)
    assert re.search(r"^otop_stock_shortfalls_open 0", metrics, re.M)


# --- 5. workers and clocks ----------------------------------------------------------------------------


def test_two_workers_never_run_one_task_twice(cluster, django_db_blocker, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from otop.core.tests.tasks import append_line

    record = Path(tempfile.mkdtemp(dir=cluster.workdir)) / "runs.txt"
    with django_db_blocker.unblock():
        for number in range(40):
            append_line.enqueue(path=str(record), line=f"task-{number}", pause_seconds=0.05)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(servers.read_text(record).splitlines()) < 40:
        time.sleep(0.2)
    time.sleep(0.5)  # a task run twice would add its second line now
    lines = servers.read_text(record).splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(f"task-{n}" for n in range(40))
    worker_pids = {cluster.processes[name].popen.pid for name in ("worker-1", "worker-2")}
    assert {int(line.split()[1]) for line in lines} == worker_pids  # both worked


def test_an_order_placed_through_nginx_is_logged_by_the_worker_under_its_request_id(cluster):
    # With an e-mail address the order queues its confirmation for a worker to send.
    answer = place_order(cluster, None, cluster.seed["plenty"].sku, 900, email="buyer900@example.com")
    assert answer.status_code == 201
    request_id = answer.headers["X-Request-ID"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        logged = [
            line
            for name in ("worker-1", "worker-2")
            for line in json_lines(cluster.processes[name].text())
            if line.get("request_id") == request_id
        ]
        if logged:
            break
        time.sleep(0.2)
    assert logged and logged[0]["logger"] == "otop.tasks"


def test_a_job_scheduled_every_minute_runs_once_a_minute_with_two_clocks(cluster, django_db_blocker):
    interval = 60 / CLOCK_SPEED
    time.sleep(max(0.0, cluster.clock_started_at + 5 * interval - time.time()))
    runs = sorted(
        (line["time"], name)
        for name in ("clock-1", "clock-2")
        for line in json_lines(cluster.processes[name].text())
        if line.get("job") == CLOCK_JOB
    )
    starts = [time_of(stamp) for stamp, _ in runs]
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert len(runs) >= 4, runs
    # Never twice in one interval (a clock logs after the run, so allow the run's own length in the gaps).
    assert min(gaps) >= interval * 0.8, gaps
    assert max(gaps) < interval * 2.5, gaps
    assert all(cluster.processes[name].popen.poll() is None for name in ("clock-1", "clock-2"))
    with django_db_blocker.unblock():
        from otop.core.models import PeriodicJob

        assert PeriodicJob.objects.get(name=CLOCK_JOB).run_count >= len(runs)


def time_of(stamp: str) -> float:
    # Local wall-clock times of one machine: only the gaps between them matter.
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=UTC).timestamp()


# --- 6. backups: the restore drill ---------------------------------------------------------------------


def test_the_restore_drill_brings_back_the_orders_and_the_photos(cluster, django_db_blocker):
    import boto3
    import psycopg

    environment = {**cluster.environment(), "PYTHON": sys.executable}
    photo = next(
        url for url in re.findall(re.escape(cluster.site) + r"/media/[^\s\"',]+", story_page(cluster, "b", "clplenty"))
    )
    backup = (
        subprocess.run(
            ["deploy/backup.sh", str(cluster.workdir / "backups")],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # Disaster: a new, empty database and a wiped bucket.
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlsplit(cluster.database_url).query)["host"][0]
    subprocess.run(["createdb", "-h", socket_dir, "-U", "otop", "otop_restored"], check=True)
    restored_url = cluster.database_url.replace("/otop?", "/otop_restored?")
    bucket = boto3.resource(
        "s3",
        endpoint_url=cluster.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=servers.S3_ACCESS_KEY,
        aws_secret_access_key=servers.S3_SECRET_KEY,
    ).Bucket("otop-media")
    bucket.objects.all().delete()
    assert requests.get(photo, verify=False).status_code == 404
    subprocess.run(
        ["deploy/restore.sh", backup],
        cwd=ROOT,
        env={**environment, "DATABASE_URL": restored_url},
        check=True,
        capture_output=True,
    )
    query = "SELECT count(*), string_agg(number, ',' ORDER BY number) FROM orders_order"
    with psycopg.connect(libpq(cluster.database_url)) as live, psycopg.connect(libpq(restored_url)) as restored:
        assert restored.execute(query).fetchone() == live.execute(query).fetchone()
    assert requests.get(photo, verify=False).status_code == 200


def libpq(url: str) -> str:
    """dj-database-url's postgres://user@/name?host=/socket as a libpq connection string."""
    parts = urllib.parse.urlsplit(url)
    host = urllib.parse.parse_qs(parts.query)["host"][0]
    return f"host={host} user={parts.username} dbname={parts.path.lstrip('/')}"


# --- 7. killing one app server mid-load loses no acknowledged order ---------------------------------------


def test_killing_one_app_server_mid_load_loses_no_acknowledged_order(cluster, django_db_blocker):
    sku = cluster.seed["plenty"].sku
    buyers = 40
    acknowledged: dict[int, str] = {}
    killed = threading.Event()

    def buy(buyer: int) -> None:
        key = f"cluster-{uuid.uuid4()}"
        for _attempt in range(10):
            if buyer == 12 and not killed.is_set():
                cluster.processes["a"].kill()
                killed.set()
            try:
                answer = place_order(cluster, None, sku, 1000 + buyer, key=key)
            except requests.RequestException:
                continue
            if answer.status_code == 201:
                acknowledged[buyer] = answer.json()["number"]
                return
            time.sleep(0.2)  # 502 from a dying server: the client retries with its key

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(buy, range(buyers)))
    assert killed.is_set() and cluster.processes["a"].popen.poll() is not None
    assert len(acknowledged) == buyers
    assert requests.get(f"{cluster.site}/healthz", verify=False).status_code == 200
    with django_db_blocker.unblock():
        from otop.orders.models import Order

        numbers = set(
            Order.objects.filter(lines__variant__sku=sku, customer_name__startswith="ผู้ซื้อ 1").values_list(
                "number", flat=True
            )
        )
    assert set(acknowledged.values()) <= numbers
    # An idempotency key makes a retried order the same order: one per buyer, none twice.
    assert len(numbers) == buyers
