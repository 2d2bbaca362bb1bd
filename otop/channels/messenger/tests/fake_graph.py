"""A fake Graph API on 127.0.0.1 speaking the Send API as documented: POST /{version}/me/messages with the
page token as `access_token`, a JSON body with `recipient.id` and `message`; it answers
`{"recipient_id", "message_id"}`, a wrong token with Graph's OAuthException (400, code 190), and any
status a test asks for next."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_TOKEN = "EAAB-page-token"
VERSION = "v21.0"


@dataclass
class Call:
    path: str
    query: dict
    json: dict


class FakeGraph:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.next_answers: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with fake.lock:
                    fake.calls.append(Call(parts.path, query, body))
                    forced = fake.next_answers.pop(0) if fake.next_answers else None
                if forced:
                    status, answer = forced
                elif parts.path != f"/{VERSION}/me/messages":
                    status, answer = (
                        404,
                        {"error": {"message": "Unknown path", "type": "GraphMethodException", "code": 100}},
                    )
                elif query.get("access_token") != PAGE_TOKEN:
                    status, answer = (
                        400,
                        {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}},
                    )
                elif not (body.get("recipient") or {}).get("id") or "message" not in body:
                    status, answer = (
                        400,
                        {"error": {"message": "(#100) param recipient must be non-empty.", "code": 100}},
                    )
                else:
                    status, answer = (
                        200,
                        {"recipient_id": body["recipient"]["id"], "message_id": "m_" + uuid.uuid4().hex},
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGraph:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer_next(self, status: int, body: dict) -> None:
        self.next_answers.append((status, body))

    def sent_to(self, psid: str) -> list[dict]:
        return [call.json["message"] for call in self.calls if call.json.get("recipient", {}).get("id") == psid]
