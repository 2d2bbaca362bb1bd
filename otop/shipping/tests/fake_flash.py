"""A fake Flash Express Open API on 127.0.0.1: checks each request's signature and answers as Flash does
(HTTP 200 with an envelope `{"code", "message", "data"}`: 1 success, 1001 unknown merchant, 1002 bad
signature, 1006 order not found; a failure inside Flash is `code` 0); records what it received.

`scan()` moves a parcel on Flash's side: its routes (`/open/v1/orders/{pno}/routes`) list the scan from
then on, with Flash's route actions and the parcel's latest state, as its Open API documents them."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from otop.shipping.carriers.flash import signature

# The route action Flash writes for a scan that puts the parcel in each state.
ROUTE_ACTIONS = {
    1: "RECEIVED",
    2: "ARRIVAL_WAREHOUSE_SCAN",
    3: "DELIVERY_TICKET_CREATION_SCAN",
    4: "DETAIN_WAREHOUSE",
    5: "DELIVERY_CONFIRM",
    6: "DIFFICULTY_HANDOVER",
    7: "SYSTEM_AUTO_RETURN",
    8: "CHANGE_PARCEL_CLOSE",
    9: "CANCEL_PARCEL",
}


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
        self.parcels: set[str] = set()  # the tracking numbers this merchant booked
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
                if params.get("mchId") != fake.mch_id:
                    self._send(200, {"code": 1001, "message": "customer not found", "data": None})
                    return
                if params.get("sign") != signature(params, fake.key):
                    self._send(200, {"code": 1002, "message": "invalid signature", "data": None})
                    return
                if self.path.endswith("/routes") and not fake.knows(self.path.split("/")[-2]):
                    self._send(200, {"code": 1006, "message": "order not found", "data": None})
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
            self.parcels.add(pno)
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
            routes = self.routes.get(pno, [])
            latest = max(routes, key=lambda route: route["routedAt"], default=None)
            return {
                "pno": pno,
                "origPno": pno,
                "state": latest["state"] if latest else 0,
                "stateText": latest["message"] if latest else "",
                "stateChangeAt": latest["routedAt"] if latest else None,
                "routes": sorted(routes, key=lambda route: route["routedAt"], reverse=True),  # newest first
            }
        return {}

    def knows(self, pno: str) -> bool:
        return pno in self.parcels or pno in self.routes

    def scan(self, pno: str, state: int, at: int, message: str = "") -> None:
        """A scan of the parcel on Flash's side: its routes list it from now on."""
        self.routes.setdefault(pno, []).append(
            {
                "routedAt": at,
                "routeAction": ROUTE_ACTIONS.get(state, "ARRIVAL_WAREHOUSE_SCAN"),
                "message": message,
                "state": state,
            }
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
