"""A fake Thailand Post Track API on 127.0.0.1: the static token buys a token, which `track` requires;
at most 100 barcodes a request; Thai answers with Buddhist-era dates."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeThailandPost:
    def __init__(self, *, static_token: str = "static-token"):
        self.static_token = static_token
        self.issued = "issued-token-1"
        self.requests: list[tuple[str, dict, str]] = []
        self.scans: dict[str, list[dict]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                authorization = self.headers.get("Authorization", "")
                fake.requests.append((self.path, body, authorization))
                if self.path == "/post/api/v1/authenticate/token":
                    if authorization != f"Token {fake.static_token}":
                        return self._send(401, {"detail": "Invalid token."})
                    return self._send(200, {"expire": "2026-12-06 10:00:00+07:00", "token": fake.issued})
                if self.path == "/post/api/v1/track":
                    if authorization != f"Token {fake.issued}":
                        return self._send(401, {"detail": "Invalid token."})
                    barcodes = body.get("barcode", [])
                    if len(barcodes) > 100:
                        return self._send(400, {"status": False, "message": "too many barcodes"})
                    items = {code: fake.scans.get(code, []) for code in barcodes}
                    return self._send(
                        200,
                        {"response": {"items": items, "track_count": {}}, "message": "successful", "status": True},
                    )
                return self._send(404, {"detail": "Not found."})

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

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
