"""A fake LINE Platform on 127.0.0.1 that speaks the Messaging API as LINE documents it.

Two servers share one state, like LINE's two hosts: the API (api.line.me: messages, profiles, rich
menus) and the data API (api-data.line.me: message content, rich menu images). The fake checks the
bearer token (401 otherwise), checks message objects the way LINE does (1-5 messages, text length,
Flex carousels of at most 12 bubbles, at most 13 quick replies, HTTPS image URLs) and answers 400
with LINE's error body, keeps reply tokens single-use ("Invalid reply token"), and keeps push retry
keys: a key LINE accepted once answers 409 and delivers nothing again.

Every request is recorded (`requests`), every message that reached a user too (`delivered`). A test
can make the next calls to a path answer 429/500 (`answer_next`), optionally after accepting the
message, which is what a lost answer looks like from outside.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCESS_TOKEN = "test-channel-access-token"


@dataclass
class Recorded:
    host: str  # "api" or "data"
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Delivery:
    to: str
    via: str  # "reply" or "push"
    messages: list[dict]


@dataclass
class Answer:
    status: int
    accept: bool = False  # deliver the message and keep its retry key, then answer `status` anyway
    retry_after: int | None = None


@dataclass
class State:
    token: str
    requests: list[Recorded] = field(default_factory=list)
    delivered: list[Delivery] = field(default_factory=list)
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    accepted_retry_keys: set[str] = field(default_factory=set)
    used_reply_tokens: set[str] = field(default_factory=set)
    expired_reply_tokens: set[str] = field(default_factory=set)
    # Which user each reply token was issued to (the webhook events a test builds).
    reply_token_users: dict[str, str] = field(default_factory=dict)
    profiles: dict[str, dict] = field(default_factory=dict)
    contents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    rich_menus: dict[str, dict] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    default_rich_menu: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error(message: str, details: list[dict] | None = None) -> dict:
    body: dict = {"message": message}
    if details:
        body["details"] = details
    return body


def _check_url(url: Any, prop: str, problems: list[dict], *, https: bool = True) -> None:
    if not isinstance(url, str) or not url or len(url) > 2000:
        problems.append({"message": "must be a URL of at most 2000 characters", "property": prop})
    elif https and not url.startswith("https://"):
        problems.append({"message": "must be an HTTPS URL", "property": prop})


def _check_action(action: Any, prop: str, problems: list[dict]) -> None:
    if not isinstance(action, dict) or action.get("type") not in {"postback", "message", "uri"}:
        problems.append({"message": "unsupported action", "property": prop})
        return
    if action["type"] == "postback" and not (0 < len(action.get("data", "")) <= 300):
        problems.append({"message": "size must be between 1 and 300", "property": prop + ".data"})
    if action["type"] == "message" and not (0 < len(action.get("text", "")) <= 300):
        problems.append({"message": "size must be between 1 and 300", "property": prop + ".text"})
    if action["type"] == "uri":
        _check_url(action.get("uri"), prop + ".uri", problems, https=False)


def _walk_flex(node: Any, prop: str, problems: list[dict]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "image":
            _check_url(node.get("url"), prop + ".url", problems)
        if node.get("type") == "text" and not node.get("text") and not node.get("contents"):
            problems.append({"message": "must be specified", "property": prop + ".text"})
        if node.get("type") == "button":
            _check_action(node.get("action"), prop + ".action", problems)
            if len(node.get("action", {}).get("label", "")) > 40:
                problems.append({"message": "size must be between 0 and 40", "property": prop + ".action.label"})
        for key, value in node.items():
            if key != "action":
                _walk_flex(value, f"{prop}.{key}", problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk_flex(value, f"{prop}[{index}]", problems)


def check_messages(messages: Any) -> list[dict]:
    """LINE's checks of message objects that our code could get wrong; returns the problems found."""
    problems: list[dict] = []
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [{"message": "size must be between 1 and 5", "property": "messages"}]
    for index, message in enumerate(messages):
        prop = f"messages[{index}]"
        kind = message.get("type")
        if kind == "text":
            if not (0 < len(message.get("text", "")) <= 5000):
                problems.append({"message": "size must be between 1 and 5000", "property": prop + ".text"})
        elif kind == "image":
            _check_url(message.get("originalContentUrl"), prop + ".originalContentUrl", problems)
            _check_url(message.get("previewImageUrl"), prop + ".previewImageUrl", problems)
        elif kind == "flex":
            if not (0 < len(message.get("altText", "")) <= 1500):
                problems.append({"message": "size must be between 1 and 1500", "property": prop + ".altText"})
            contents = message.get("contents", {})
            if contents.get("type") == "carousel":
                if not 1 <= len(contents.get("contents", [])) <= 12:
                    problems.append({"message": "size must be between 1 and 12", "property": prop + ".contents"})
            elif contents.get("type") != "bubble":
                problems.append({"message": "must be a bubble or a carousel", "property": prop + ".contents"})
            _walk_flex(contents, prop + ".contents", problems)
        else:
            problems.append({"message": "unsupported message type", "property": prop + ".type"})
        quick = message.get("quickReply")
        if quick is not None:
            items = quick.get("items", [])
            if not 1 <= len(items) <= 13:
                problems.append({"message": "size must be between 1 and 13", "property": prop + ".quickReply.items"})
            for number, item in enumerate(items):
                action = item.get("action", {})
                _check_action(action, f"{prop}.quickReply.items[{number}].action", problems)
                if not (0 < len(action.get("label", "")) <= 20):
                    problems.append(
                        {"message": "size must be between 1 and 20", "property": f"{prop}.quickReply.items[{number}]"}
                    )
    return problems


def check_rich_menu(layout: Any) -> list[dict]:
    problems: list[dict] = []
    size = layout.get("size", {}) if isinstance(layout, dict) else {}
    width, height = size.get("width", 0), size.get("height", 0)
    if not (800 <= width <= 2500) or height < 250 or width / max(height, 1) < 1.45:
        problems.append({"message": "invalid size", "property": "size"})
    if not (0 < len(layout.get("chatBarText", "")) <= 14):
        problems.append({"message": "size must be between 1 and 14", "property": "chatBarText"})
    areas = layout.get("areas", [])
    if not 1 <= len(areas) <= 20:
        problems.append({"message": "size must be between 1 and 20", "property": "areas"})
    for index, area in enumerate(areas):
        bounds = area.get("bounds", {})
        if bounds.get("x", -1) < 0 or bounds.get("y", -1) < 0 or bounds.get("x", 0) + bounds.get("width", 0) > width:
            problems.append({"message": "out of the menu", "property": f"areas[{index}].bounds"})
        if bounds.get("y", 0) + bounds.get("height", 0) > height:
            problems.append({"message": "out of the menu", "property": f"areas[{index}].bounds"})
        _check_action(area.get("action"), f"areas[{index}].action", problems)
    return problems


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeLINE/1.0"
    state: State
    host_name: str

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any = None, *, raw: bytes | None = None, content_type: str = "") -> None:
        payload = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type or "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-line-request-id", uuid.uuid4().hex)
        for name, value in getattr(self, "_extra_headers", {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.state
        self._extra_headers = {}
        with state.lock:
            state.requests.append(
                Recorded(self.host_name, method, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
        if self.headers.get("Authorization") != f"Bearer {state.token}":
            self._send(
                401,
                _error("Authentication failed. Confirm that the access token in the authorization header is valid."),
            )
            return
        try:
            status, answer = self._route(method, self.path, body)
        except (ValueError, KeyError, AttributeError, TypeError):
            status, answer = 400, _error("The request body has 1 error(s)")
        if isinstance(answer, tuple):
            self._send(status, raw=answer[1], content_type=answer[0])
        else:
            self._send(status, answer)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def _queued_answer(self, path: str) -> Answer | None:
        with self.state.lock:
            for prefix, answers in self.state.answers.items():
                if path.startswith(prefix) and answers:
                    return answers.pop(0)
        return None

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        state = self.state
        if self.host_name == "data":
            if method == "GET" and (match := re.fullmatch(r"/v2/bot/message/([^/]+)/content", path)):
                if match.group(1) not in state.contents:
                    return 404, _error("Not found")
                return 200, state.contents[match.group(1)]
            if method == "POST" and (match := re.fullmatch(r"/v2/bot/richmenu/([^/]+)/content", path)):
                return self._rich_menu_image(match.group(1), body)
            return 404, _error("Not found")
        if method == "POST" and path == "/v2/bot/message/reply":
            return self._reply(json.loads(body))
        if method == "POST" and path == "/v2/bot/message/push":
            return self._push(json.loads(body))
        if method == "GET" and (match := re.fullmatch(r"/v2/bot/profile/([^/]+)", path)):
            profile = state.profiles.get(match.group(1))
            if profile is None:
                return 404, _error("Not found")
            return 200, {"userId": match.group(1), **profile}
        if method == "POST" and path == "/v2/bot/richmenu/validate":
            problems = check_rich_menu(json.loads(body))
            return (400, _error("The request body has errors", problems)) if problems else (200, {})
        if method == "POST" and path == "/v2/bot/richmenu":
            layout = json.loads(body)
            problems = check_rich_menu(layout)
            if problems:
                return 400, _error("The request body has errors", problems)
            rich_menu_id = f"richmenu-{uuid.uuid4().hex}"
            with state.lock:
                state.rich_menus[rich_menu_id] = layout
            return 200, {"richMenuId": rich_menu_id}
        if method == "GET" and path == "/v2/bot/richmenu/list":
            return 200, {"richmenus": [{"richMenuId": key, **layout} for key, layout in state.rich_menus.items()]}
        if method == "POST" and (match := re.fullmatch(r"/v2/bot/user/all/richmenu/([^/]+)", path)):
            if match.group(1) not in state.rich_menu_images:
                return 400, _error("must upload richmenu image before applying it to user")
            state.default_rich_menu = match.group(1)
            return 200, {}
        if method == "DELETE" and (match := re.fullmatch(r"/v2/bot/richmenu/([^/]+)", path)):
            with state.lock:
                found = state.rich_menus.pop(match.group(1), None)
                state.rich_menu_images.pop(match.group(1), None)
            return (200, {}) if found else (404, _error("Not found"))
        return 404, _error("Not found")

    def _reply(self, request: dict) -> tuple[int, Any]:
        token = request.get("replyToken", "")
        problems = check_messages(request.get("messages"))
        if problems:
            return 400, _error(f"The request body has {len(problems)} error(s)", problems)
        queued = self._queued_answer("/v2/bot/message/reply")
        if queued and not queued.accept:
            return self._answer(queued)
        with self.state.lock:
            if token in self.state.used_reply_tokens or token in self.state.expired_reply_tokens:
                return 400, _error("Invalid reply token")
            self.state.used_reply_tokens.add(token)
            to = self.state.reply_token_users.get(token, "")
            self.state.delivered.append(Delivery(to=to, via="reply", messages=request["messages"]))
        if queued:
            return self._answer(queued)
        return 200, {"sentMessages": [{"id": uuid.uuid4().hex[:18]} for _ in request["messages"]]}

    def _push(self, request: dict) -> tuple[int, Any]:
        retry_key = self.headers.get("X-Line-Retry-Key", "")
        problems = check_messages(request.get("messages"))
        if not re.fullmatch(r"U[0-9a-f]{32}", request.get("to", "")):
            problems.append({"message": "invalid user id", "property": "to"})
        if problems:
            return 400, _error(f"The request body has {len(problems)} error(s)", problems)
        with self.state.lock:
            if retry_key and retry_key in self.state.accepted_retry_keys:
                self._extra_headers = {"x-line-accepted-request-id": uuid.uuid4().hex}
                return 409, _error("The retry key is already accepted")
        queued = self._queued_answer("/v2/bot/message/push")
        if queued and not queued.accept:
            return self._answer(queued)
        with self.state.lock:
            if retry_key:
                self.state.accepted_retry_keys.add(retry_key)
            self.state.delivered.append(Delivery(to=request["to"], via="push", messages=request["messages"]))
        if queued:
            return self._answer(queued)
        return 200, {"sentMessages": [{"id": uuid.uuid4().hex[:18]} for _ in request["messages"]]}

    def _answer(self, queued: Answer) -> tuple[int, Any]:
        if queued.retry_after is not None:
            self._extra_headers = {"Retry-After": str(queued.retry_after)}
        if queued.status == 429:
            return 429, _error("The API rate limit has been exceeded. Try again later.")
        return queued.status, _error("An error occurred in the server")

    def _rich_menu_image(self, rich_menu_id: str, body: bytes) -> tuple[int, Any]:
        layout = self.state.rich_menus.get(rich_menu_id)
        if layout is None:
            return 404, _error("Not found")
        if rich_menu_id in self.state.rich_menu_images:
            return 400, _error("An image has already been uploaded to the richmenu")
        content_type = self.headers.get("Content-Type", "")
        if content_type not in {"image/png", "image/jpeg"} or len(body) > 1024 * 1024:
            return 400, _error("invalid image (PNG or JPEG up to 1 MB)")
        size = _png_size(body)
        if content_type == "image/png" and size != (layout["size"]["width"], layout["size"]["height"]):
            return 400, _error("the image does not match the rich menu size")
        with self.state.lock:
            self.state.rich_menu_images[rich_menu_id] = (content_type, body)
        return 200, {}


class FakeLine:
    """Start with `with FakeLine() as line:`; point LINE_API_BASE_URL / LINE_DATA_API_BASE_URL at it."""

    def __init__(self, token: str = ACCESS_TOKEN):
        self.state = State(token=token)
        self._servers = [self._server("api"), self._server("data")]
        self._threads: list[threading.Thread] = []

    def _server(self, host_name: str) -> ThreadingHTTPServer:
        handler = type(f"{host_name}Handler", (_Handler,), {"state": self.state, "host_name": host_name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        return server

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[0].server_address[1]}"

    @property
    def data_api_base_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[1].server_address[1]}"

    def __enter__(self) -> FakeLine:
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: Any) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    # --- what a test tells the fake -----------------------------------------------------------

    def answer_next(self, path: str, status: int, *, times: int = 1, accept: bool = False, retry_after=None) -> None:
        """The next `times` calls to `path` answer `status` (after delivering, with `accept`)."""
        with self.state.lock:
            self.state.answers.setdefault(path, []).extend(
                Answer(status=status, accept=accept, retry_after=retry_after) for _ in range(times)
            )

    def issue_reply_token(self, user_id: str) -> str:
        token = uuid.uuid4().hex
        self.state.reply_token_users[token] = user_id
        return token

    def expire_reply_token(self, token: str) -> None:
        self.state.expired_reply_tokens.add(token)

    def add_profile(self, user_id: str, *, display_name: str = "ลูกค้า", language: str = "th") -> None:
        self.state.profiles[user_id] = {"displayName": display_name, "language": language}

    def add_content(self, message_id: str, content: bytes, content_type: str = "image/jpeg") -> None:
        self.state.contents[message_id] = (content_type, content)

    # --- what a test reads back ---------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        return list(self.state.requests)

    @property
    def delivered(self) -> list[Delivery]:
        return list(self.state.delivered)

    def delivered_to(self, user_id: str) -> list[Delivery]:
        return [delivery for delivery in self.state.delivered if delivery.to == user_id]

    def calls(self, path: str) -> list[Recorded]:
        return [request for request in self.state.requests if request.path == path]
