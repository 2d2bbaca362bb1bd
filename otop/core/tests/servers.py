"""Real servers on 127.0.0.1 for tests: Redis (Debian's redis-server) and an S3 API (moto's server mode).

Each is started on a free port in a temporary directory and stopped when the `with` block ends. Ports come
from OTOP_TEST_PORTS ("8310-8329": a range this machine set aside) when set, else from the system.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3

REDIS_SERVER_PATHS = ("redis-server", "/usr/bin/redis-server", "/usr/sbin/redis-server")
NGINX_PATHS = ("nginx", "/usr/sbin/nginx")
S3_ACCESS_KEY = "otop-test-access-key"
S3_SECRET_KEY = "otop-test-secret-key-0123456789"
_taken: set[int] = set()


def binary(candidates: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    return None


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nobody listens on: the next free one of OTOP_TEST_PORTS, else one the system picks."""
    span = os.environ.get("OTOP_TEST_PORTS", "")
    if span:
        low, high = (int(part) for part in span.split("-"))
        for port in range(low, high + 1):
            if port not in _taken and _is_free(port):
                _taken.add(port)
                return port
        raise RuntimeError(f"no free port left in OTOP_TEST_PORTS={span}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen | None = None, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before listening on {port}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server() -> Iterator[str]:
    """Run redis-server without persistence; yield its redis:// URL."""
    executable = binary(REDIS_SERVER_PATHS)
    if executable is None:
        raise FileNotFoundError("redis-server is not installed (scripts/install_test_system_packages.sh)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="otop-redis-") as directory:
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", directory, "--protected-mode", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process=process)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop(process)


@contextmanager
def s3_server(*, buckets: tuple[str, ...] = (), public_buckets: tuple[str, ...] = ()) -> Iterator[str]:
    """Run moto's S3 API server; create the buckets (objects readable by anyone in `public_buckets`, by a
    bucket policy as in production; by signed requests only in the others); yield its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process=process)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )
        for bucket in (*buckets, *public_buckets):
            client.create_bucket(Bucket=bucket)
        for bucket in public_buckets:
            client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
        yield endpoint
    finally:
        stop(process)


def public_read_policy(bucket: str) -> dict:
    """Anyone may read the bucket's objects (product photos); writing and listing need the keys."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }


def s3_environment(endpoint: str, *, public_bucket: str, private_bucket: str) -> dict[str, str]:
    """The settings' environment for MEDIA_STORAGE=s3 against a test server."""
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        "AWS_STORAGE_BUCKET_NAME": public_bucket,
        "AWS_PRIVATE_BUCKET_NAME": private_bucket,
    }


def http_get(url: str, *, headers: dict[str, str] | None = None, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """GET a URL; return the status, the headers (lower-case names) and the body, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def read_text(path: Path) -> str:
    return path.read_text() if path.exists() else ""
