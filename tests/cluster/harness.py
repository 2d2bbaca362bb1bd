"""The multi-server set-up on 127.0.0.1 for `make test-cluster`: PostgreSQL (scripts/with_postgres.sh gives
DATABASE_URL), Redis, an S3 API server, two gunicorn app servers, two task workers, two clocks and nginx
with deploy/nginx/otop.conf in front — each a real process, stopped when the test ends."""

from __future__ import annotations

import base64
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from otop.core.tests import servers

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
MEDIA_BUCKET = "otop-media"
PRIVATE_BUCKET = "otop-private"
# The clocks run a job scheduled every minute this many times as fast, so the test sees several minutes.
CLOCK_SPEED = 30
CLOCK_JOB = "unpaid orders expired"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a set-up command; a failure says what the command printed."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """Kill the whole process group at once (a machine going down: no graceful shutdown)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    workdir: Path
    database_url: str
    redis_url: str = ""
    s3_endpoint: str = ""
    nginx_port: int = 0
    app_ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    line_secret: str = "cluster-line-channel-secret"

    @property
    def site(self) -> str:
        return f"https://127.0.0.1:{self.nginx_port}"

    def app_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.app_ports[name]}"

    def environment(self, **extra: str) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "MEDIA_", "REDIS_", "PYTEST", "DJANGO_"))
        }
        environment.update(
            {
                "DJANGO_SETTINGS_MODULE": "otop.settings",
                "DJANGO_ENV": "production",
                "DEBUG": "false",
                "SECRET_KEY": "cluster-test-secret-" + "k3y-" * 12,
                # One Fernet key (32 bytes, url-safe base64) for the encrypted personal-data fields.
                "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(b"cluster-test-field-key-32-bytes!").decode(),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CSRF_TRUSTED_ORIGINS": self.site,
                "SITE_URL": self.site,
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "BEHIND_TLS_PROXY": "true",
                # A load balancer and nginx: the client's address is the entry the outer one added.
                "TRUSTED_PROXY_COUNT": "2",
                "SECURE_HSTS_SECONDS": "0",
                "TWO_FACTOR_REQUIRED": "false",
                "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
                "LOG_FORMAT": "json",
                "MEDIA_URL": f"{self.site}/media/",
                "LINE_CHANNEL_SECRET": self.line_secret,
                "LINE_CHANNEL_ACCESS_TOKEN": "cluster-line-token",
                "LINE_API_BASE_URL": "http://127.0.0.1:9",
                "LINE_DATA_API_BASE_URL": "http://127.0.0.1:9",
                **servers.s3_environment(self.s3_endpoint, public_bucket=MEDIA_BUCKET, private_bucket=PRIVATE_BUCKET),
            }
        )
        environment.update(extra)
        return environment

    def start(self, name: str, command: list[str], **extra_env: str) -> Process:
        log = self.workdir / f"{name}.log"
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment(**extra_env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process = Process(name, popen, log)
        self.processes[name] = process
        return process

    def manage(self, *arguments: str) -> None:
        run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=self.environment())

    def start_app_server(self, name: str, *gunicorn_arguments: str, **extra_env: str) -> None:
        """A gunicorn server (2 workers × 8 threads); the bench adds its timing hooks with `-c FILE`."""
        port = servers.free_port()
        self.app_ports[name] = port
        metrics_dir = self.workdir / f"prometheus-{name}"
        metrics_dir.mkdir()
        self.start(
            name,
            [str(BIN / "gunicorn"), "otop.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
            + [
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--preload",
                "--timeout",
                "120",
                "--log-level",
                "warning",
                *gunicorn_arguments,
            ],
            PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
            **extra_env,
        )

    def start_worker(self, name: str) -> None:
        self.start(name, [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"])

    def start_clock(self, name: str) -> None:
        self.start(
            name,
            [PYTHON, "manage.py", "run_periodic", "--tick", "0.2", "--speed", str(CLOCK_SPEED), "--only", CLOCK_JOB],
        )

    def start_nginx(self) -> None:
        nginx = self.workdir / "nginx"
        for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (nginx / folder).mkdir(parents=True)
        run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
            + ["-keyout", str(nginx / "key.pem"), "-out", str(nginx / "cert.pem")],
        )
        site = run(
            [PYTHON, str(ROOT / "deploy/render.py"), str(ROOT / "deploy/nginx/otop.conf")]
            + [
                f"LISTEN=127.0.0.1:{self.nginx_port}",
                "SERVER_NAME=127.0.0.1",
                f"TLS_CERTIFICATE={nginx / 'cert.pem'}",
                f"TLS_CERTIFICATE_KEY={nginx / 'key.pem'}",
                f"APP_SERVERS={app_server_lines(self.app_ports.values())}",
                f"MEDIA_HOST={self.s3_endpoint.split('//', 1)[1]}",
                f"MEDIA_BUCKET={MEDIA_BUCKET}",
                f"STATIC_ROOT={static_root()}",
                f"PROXY_PARAMS={ROOT / 'deploy/nginx/otop_proxy_params'}",
            ],
        ).stdout
        (nginx / "site.conf").write_text(site)
        user = "user root root;\n" if os.getuid() == 0 else ""
        (nginx / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {nginx / 'nginx.pid'};\nerror_log {nginx / 'error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  log_format timing '{TIMING_LOG_FORMAT}';\n"
            f"  access_log {nginx / 'access.log'} timing;\n"
            + "".join(f"  {kind}_temp_path {nginx / folder};\n" for kind, folder in TEMP_PATHS)
            + f"  include {nginx / 'site.conf'};\n}}\n"
        )
        executable = servers.binary(servers.NGINX_PATHS)
        run([executable, "-t", "-c", str(nginx / "nginx.conf")])
        self.start("nginx", [executable, "-c", str(nginx / "nginx.conf"), "-g", "daemon off;"])

    def wait_until_up(self, seconds: float = 120.0) -> None:
        deadline = time.monotonic() + seconds
        for name, port in [*self.app_ports.items(), ("nginx", self.nginx_port)]:
            process = self.processes[name]
            servers.wait_for_port(port, process=process.popen, seconds=max(1.0, deadline - time.monotonic()))

    def warm_up(self) -> None:
        """Answer a first page on every worker of both servers (templates, catalogues, Thai dictionaries)."""
        import requests

        for name in self.app_ports:
            for _ in range(4):
                requests.get(f"{self.app_url(name)}/", headers={"X-Forwarded-Proto": "https"}, timeout=120)

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()


# The proxy's access log: the time nginx spent on the whole request (TLS, reading it, the answer sent) beside
# the upstream's share (connecting to an app server until its last byte), and which app server answered.
# Fields are parted by "|": after a retry the upstream ones are lists ("0.002, 0.004").
TIMING_LOG_FORMAT = (
    "$request_id|$status|$request_time|$upstream_response_time|$upstream_connect_time|$upstream_addr|"
    "$request_method|$request_uri"
)

TEMP_PATHS = [
    ("client_body", "client_body"),
    ("proxy", "proxy"),
    ("fastcgi", "fastcgi"),
    ("uwsgi", "uwsgi"),
    ("scgi", "scgi"),
]


def app_server_lines(ports) -> str:
    return "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)


def static_root() -> Path:
    from django.conf import settings

    return Path(settings.STATIC_ROOT)


def json_lines(text: str) -> list[dict]:
    import json

    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def hashed_static_paths(html: str) -> list[str]:
    return re.findall(r'"(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', html)
