"""A fake ThaiBulkSMS API v2 on 127.0.0.1: `POST /sms` with HTTP Basic authentication (key : secret) and
form fields msisdn, message, sender, force; 201 with the numbers taken and the bad ones, or
`{"error": {"code", "name", "description"}}` for wrong credentials, no credit left, a bad request."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeThaiBulkSms:
    def __init__(self, *, api_key: str = "tbs-key", api_secret: str = "tbs-secret", credit: int = 100):
        self.api_key = api_key
        self.api_secret = api_secret
        self.credit = credit
        self.busy = False  # answer 503, as when the provider is down
        self.sent: list[dict[str, str]] = []
        self.requests: list[tuple[str, dict[str, str], str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                fields = {name: values[0] for name, values in parse_qs(raw).items()}
                authorization = self.headers.get("Authorization", "")
                fake.requests.append((self.path, fields, authorization))
                if self.path != "/sms":
                    return self._error(404, 404, "NOT_FOUND", "Not found")
                expected = base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
                if authorization != f"Basic {expected}":
                    return self._error(401, 401, "ERROR_UNAUTHORIZED", "Invalid API key or secret")
                if fake.busy:
                    return self._error(503, 503, "SERVICE_UNAVAILABLE", "Try again later")
                if not fields.get("msisdn") or not fields.get("message"):
                    return self._error(400, 400, "ERROR_BAD_REQUEST", "msisdn and message are required")
                if fields.get("force", "standard") not in ("standard", "corporate"):
                    return self._error(400, 400, "ERROR_BAD_REQUEST", "force must be standard or corporate")
                message = fields["message"]
                # Thai text goes as UCS-2: 70 characters a credit, else 160.
                per_credit = 70 if any(ord(ch) > 127 for ch in message) else 160
                used = -(-len(message) // per_credit)
                if fake.credit < used:
                    return self._error(400, 402, "ERROR_CREDIT_NOT_ENOUGH", "Your credit is not enough")
                taken, bad = [], []
                for number in fields["msisdn"].split(","):
                    digits = number.strip()
                    local = "0" + digits[2:] if digits.startswith("66") else digits
                    if len(local) == 10 and local.isdigit() and local[:2] in ("06", "08", "09"):
                        fake.credit -= used
                        message_id = f"tbs{len(fake.sent) + 1:06d}"
                        fake.sent.append({"number": local, "message": message, "id": message_id, **fields})
                        taken.append({"number": "66" + local[1:], "message_id": message_id, "used_credit": used})
                    else:
                        bad.append({"number": digits, "message": "Invalid phone number"})
                return self._send(
                    201,
                    {
                        "remaining_credit": fake.credit,
                        "total_use_credit": used * len(taken),
                        "credit_type": fields.get("force", "standard"),
                        "phone_number_list": taken,
                        "bad_phone_number_list": bad,
                    },
                )

            def _error(self, status: int, code: int, name: str, description: str):
                return self._send(status, {"error": {"code": code, "name": name, "description": description}})

            def _send(self, status: int, body: dict):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def settings_for(self, settings) -> None:
        """Point the project's settings at this server with its credentials."""
        settings.THAIBULKSMS_API_BASE_URL = self.url
        settings.THAIBULKSMS_API_KEY = self.api_key
        settings.THAIBULKSMS_API_SECRET = self.api_secret
        settings.THAIBULKSMS_SENDER = "OTOPKK"
        settings.THAIBULKSMS_FORCE = "corporate"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
