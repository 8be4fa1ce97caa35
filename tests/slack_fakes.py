"""A fake Slack on loopback: Web API, response_url catcher and Socket Mode websocket; request signing.

The real slack_sdk client talks HTTP to this server exactly as to slack.com (base_url
``http://127.0.0.1:PORT/api/``), so the tests exercise bolt, the SDK's retry handlers and our adapter for
real. The server binds port 0: tests can run in parallel.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-0000-secret-bot-token"
APP_TOKEN = "xapp-1-test-secret-app-token"
SIGNING_SECRET = "test-signing-secret-8f2e"
BOT_USER_ID = "UBRIEFBOT"
BOT_ID = "BBRIEFBOT"
TEAM_ID = "T0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    result: dict[str, Any] = field(default_factory=dict)  # what the fake answered (e.g. the posted ts)
    at: float = field(default_factory=time.perf_counter)  # when it arrived (bench/slack_ack.py)

    @property
    def ts(self) -> str:
        return str(self.result.get("ts", ""))


@dataclass
class FakeSlack:
    """Records every Web API call; ``script`` queues canned answers per method (status, headers, body)."""

    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # bodies posted to response_url
    script: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = field(default_factory=dict)
    envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    url: str = ""
    # methods whose calls are recorded at once but answered only when their event is set (a stuck API)
    hold: dict[str, asyncio.Event] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ts: int = 0

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/respond/{name}"

    def fail(self, method: str, status: int = 200, headers: dict[str, str] | None = None, **body: Any) -> None:
        """The next call of ``method`` gets this answer instead of the normal one."""
        self.script.setdefault(method, []).append((status, headers or {}, body))

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 60.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times (bolt works after the HTTP ack)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.of(method)) >= count), timeout)
        return self.of(method)

    async def wait_responses(self, count: int = 1, timeout: float = 60.0) -> list[dict[str, Any]]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.responses) >= count), timeout)
        return self.responses

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- server ------------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/ws", self._ws)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        if not raw:
            return dict(request.query)
        if request.content_type == "application/json":
            return json.loads(raw)
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(raw.decode()))
        for key in ("blocks", "attachments"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, dict(request.headers))
        held = self.hold.get(method)
        if held is not None:
            self.calls.append(call)
            await self._notify()
            await held.wait()
            self.calls.remove(call)
        scripted = self.script.get(method)
        if scripted:
            status, headers, body = scripted.pop(0)
        else:
            status, headers, body = 200, {}, self._answer(method, params)
        call.result = body
        self.calls.append(call)
        await self._notify()
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack/",
                "team": "Fake",
                "user": "briefbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.postEphemeral"):
            self._ts += 1
            ts = f"{int(time.time())}.{self._ts:06d}"
            channel = params.get("channel")
            message = {"type": "message", "text": params.get("text"), "ts": ts, "bot_id": BOT_ID}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "/ws"}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        await self._notify()
        return web.Response(text="ok")

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: hello, then every queued envelope; acks (``{"envelope_id": ...}``) go to ``acks``."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake"},
                    "connection_info": {"app_id": "A1"},
                }
            )
        )

        async def pump() -> None:
            while True:
                envelope = await self.envelopes.get()
                await ws.send_str(json.dumps(envelope))

        sender = asyncio.create_task(pump())
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self.acks.put(json.loads(msg.data))
                elif msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                    break
        finally:
            sender.cancel()
        return ws


# ---- requests as Slack signs them -----------------------------------------------------------------


def signed_headers(
    body: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    from slack_sdk.signature import SignatureVerifier

    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def command_body(
    text: str, response_url: str, channel: str = "C0CHAN", user: str = "U0USER", command: str = "/brief"
) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "news",
            "user_id": user,
            "user_name": "reader",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def event_body(event: dict[str, Any], event_id: str = "Ev001") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def thread_message(
    text: str, thread_ts: str, channel: str = "C0CHAN", user: str = "U0USER", ts: str | None = None
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts or f"{time.time():.6f}",
        "thread_ts": thread_ts,
        "channel_type": "channel",
    }
