"""A fake Flash Express Open API on 127.0.0.1: checks each request's signature and answers as Flash does
(HTTP 200 with `code` 1 for success, 1002 for a bad signature); records what it received."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from otop.shipping.carriers.flash import signature


class FakeFlash:
    def __init__(self, *, mch_id: str = "AA0001", key: str = "flash-test-key"):
        self.mch_id = mch_id
        self.key = key
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.price_satang = 4500
        self.mode = "ok"  # "ok", "down" (HTTP 500), "slow" (answers after 3 s)
        self.next_pno = 1
        self.next_ticket = 3300
        self.routes: dict[str, list[dict]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                fake.requests.append((self.path, params))
                if fake.mode == "slow":
                    time.sleep(3)
                if fake.mode == "down":
                    self._send(500, {"code": 0, "message": "system error"})
                    return
                if params.get("mchId") != fake.mch_id or params.get("sign") != signature(params, fake.key):
                    self._send(200, {"code": 1002, "message": "invalid signature", "data": None})
                    return
                self._send(200, {"code": 1, "message": "success", "data": fake.answer(self.path, params)})

            def _send(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, params: dict[str, str]) -> dict:
        if path == "/open/v1/orders/estimate_rate":
            return {"estimatePrice": self.price_satang}
        if path == "/open/v3/orders":
            pno = f"TH0140{self.next_pno:08d}"
            self.next_pno += 1
            return {"pno": pno, "mchId": self.mch_id, "outTradeNo": params.get("outTradeNo")}
        if path == "/open/v1/notify":
            self.next_ticket += 1
            return {
                "ticketPickupId": self.next_ticket,
                "staffInfoId": 10001,
                "staffInfoName": "สมหมาย ขยันส่ง",
                "staffInfoPhone": "0811110000",
                "timeoutAtText": "เข้ารับภายในวันนี้ 18:00",
                "ticketMessage": "",
                "upCountryNote": "",
            }
        if path.endswith("/routes"):
            pno = path.split("/")[-2]
            return {"pno": pno, "routes": self.routes.get(pno, [])}
        return {}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
