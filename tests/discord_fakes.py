"""A fake Discord on loopback: the REST routes and the gateway the real discord.py client uses.

One aiohttp server on port 0 serves ``/api/v10/...`` (recorded in ``calls``) and ``/gateway`` (a
websocket speaking the gateway protocol: HELLO, IDENTIFY/RESUME, heartbeats, dispatches). Tests drive
the bot by dispatching events (``INTERACTION_CREATE``, ``MESSAGE_CREATE``) and assert on recorded calls.
Failures are injected per route with ``fail(method, pattern, status)``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "fake-bot-token"
APP_ID = "1100000000000000001"
BOT_ID = "1100000000000000002"
GUILD_ID = "1200000000000000001"
CHANNEL_ID = "1300000000000000001"
USER_ID = "1400000000000000001"
OTHER_BOT_ID = "1400000000000000002"
NOW = "2025-01-01T00:00:00.000000+00:00"
ALL_PERMISSIONS = "2251799813685247"
NO_MANAGE_CHANNELS = str(int(ALL_PERMISSIONS) & ~(1 << 4) & ~(1 << 3))  # no Manage Channels, no Administrator


def _user(uid: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot}


BOT_USER = _user(BOT_ID, "briefbot", bot=True)
HUMAN = _user(USER_ID, "reader")


def text_channel(cid: str = CHANNEL_ID) -> dict[str, Any]:
    return {
        "id": cid, "type": 0, "guild_id": GUILD_ID, "name": "news", "position": 0,
        "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
        "last_message_id": None, "rate_limit_per_user": 0,
    }  # fmt: skip


def thread_channel(tid: str, parent: str = CHANNEL_ID, owner: str = BOT_ID, name: str = "t") -> dict[str, Any]:
    return {
        "id": tid, "type": 11, "guild_id": GUILD_ID, "parent_id": parent, "owner_id": owner, "name": name,
        "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
        "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": NOW,
                            "locked": False},
    }  # fmt: skip


@dataclass
class Call:
    method: str
    path: str  # without the /api/v10 prefix
    body: Any
    query: dict[str, str]


@dataclass
class FakeDiscord:
    """Start with ``await fake.start()``; ``api_url`` and ``gateway_url`` point the client at it."""

    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    gateway_frames: list[dict[str, Any]] = field(default_factory=list)  # what the client sent
    threads: list[str] = field(default_factory=list)  # ids of the threads the client opened, in order
    connections: int = 0
    _failures: list[tuple[str, re.Pattern[str], int]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1500000000000000001))
    _seq: int = 0
    _ws: web.WebSocketResponse | None = None
    _identified: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    port: int = 0

    # -- lifetime -----------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the OS picked
        return self

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> str:
        return str(next(self._ids))

    def fail(self, method: str, pattern: str, status: int) -> None:
        """Answer requests matching ``method`` and the path regex with an error status."""
        self._failures.append((method, re.compile(pattern), status))

    def heal(self) -> None:
        """Stop failing: every request is answered normally again (e.g. the bot was given the permission)."""
        self._failures.clear()

    # -- waiting on what the client did ---------------------------------------------------------------

    async def _note(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[FakeDiscord], Any], timeout: float = 60.0) -> Any:
        """Wait until ``predicate(self)`` is truthy; returns its value."""

        async def waiting() -> Any:
            async with self._changed:
                while not (value := predicate(self)):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(waiting(), timeout)

    async def wait_call(self, method: str, pattern: str, count: int = 1, timeout: float = 60.0) -> list[Call]:
        regex = re.compile(pattern)

        def found(fake: FakeDiscord) -> list[Call] | None:
            hits = fake.matching(method, regex)
            return hits if len(hits) >= count else None

        return await self.wait_for(found, timeout)

    def matching(self, method: str, pattern: str | re.Pattern[str]) -> list[Call]:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        return [c for c in self.calls if c.method == method and regex.fullmatch(c.path)]

    # -- REST ---------------------------------------------------------------------------------------

    def _json(self, data: Any, status: int = 200) -> web.Response:
        # discord.py requires exactly "application/json" (no charset)
        return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                body = json.loads(raw or b"null")
            elif request.content_type.startswith("multipart/"):
                body = _payload_json(raw)
        self.calls.append(Call(request.method, path, body, dict(request.query)))
        await self._note()
        token_in_url = path.startswith(("/interactions/", "/webhooks/"))  # no bot token on these, like Discord
        if not token_in_url and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        for method, regex, status in self._failures:
            if method == request.method and regex.fullmatch(path):
                return self._json({"message": "Missing Permissions", "code": 50013}, status)
        return await self._route(request.method, path, body or {})

    async def _route(self, method: str, path: str, body: dict[str, Any]) -> web.StreamResponse:
        if method == "GET" and path == "/users/@me":
            return self._json(BOT_USER)
        if method == "GET" and path == "/oauth2/applications/@me":
            return self._json({
                "id": APP_ID, "name": "Briefbot", "description": "", "icon": None, "bot_public": True,
                "bot_require_code_grant": False, "owner": HUMAN, "verify_key": "0" * 64, "flags": 0,
            })  # fmt: skip
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return self._json([
                {**cmd, "id": self.new_id(), "application_id": APP_ID, "version": "1", "type": cmd.get("type", 1)}
                for cmd in body or []
            ])  # fmt: skip
        if method == "POST" and re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            interaction_id = path.split("/")[2]
            return self._json({"interaction": {"id": interaction_id, "type": 2}, "resource": None})
        if m := re.fullmatch(r"/webhooks/\d+/[^/]+(/messages/@original)?", path):
            if method == "DELETE":
                return web.Response(status=204)
            flags = body.get("flags", 0) if m.group(1) is None else 0
            return self._json(self._message(CHANNEL_ID, body, author=BOT_USER, flags=flags, webhook=True))
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)):
            thread = thread_channel(self.new_id(), parent=m.group(1), name=body.get("name", "t"))
            self.threads.append(thread["id"])
            asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", {**thread, "newly_created": True}))
            return self._json(thread, 201)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._json(self._message(m.group(1), body, author=BOT_USER))
        if method == "POST" and re.fullmatch(r"/channels/\d+/typing", path):
            return web.Response(status=204)
        return self._json({"message": f"fake Discord has no route {method} {path}", "code": 0}, 404)

    def _message(
        self, channel_id: str, body: dict[str, Any], author: dict[str, Any], flags: int = 0, webhook: bool = False
    ) -> dict[str, Any]:
        data = {
            "id": self.new_id(), "channel_id": channel_id, "guild_id": GUILD_ID, "author": author,
            "content": body.get("content") or "", "timestamp": NOW, "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": body.get("embeds") or [], "pinned": False, "type": 0, "flags": flags,
        }  # fmt: skip
        if webhook:
            data["webhook_id"] = APP_ID
            data["application_id"] = APP_ID
        return data

    # -- gateway ------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            self.gateway_frames.append(frame)
            await self._note()
            op = frame.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif op == 2:
                await self._ready(frame["d"])
            elif op == 6:
                await self.dispatch("RESUMED", {})
        return ws

    async def _ready(self, identify: dict[str, Any]) -> None:
        await self.dispatch("READY", {
            "v": 10, "user": BOT_USER, "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": "fake-session", "resume_gateway_url": self.gateway_url, "shard": [0, 1],
            "application": {"id": APP_ID, "flags": 0},
        })  # fmt: skip
        await self.dispatch("GUILD_CREATE", {
            "id": GUILD_ID, "name": "Newsroom", "icon": None, "owner_id": USER_ID, "unavailable": False,
            "member_count": 2, "large": False, "roles": [], "emojis": [], "stickers": [], "features": [],
            "channels": [text_channel()], "threads": [], "members": [], "voice_states": [],
            "presences": [], "stage_instances": [], "guild_scheduled_events": [], "joined_at": NOW,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "afk_timeout": 300, "premium_tier": 0, "nsfw_level": 0, "preferred_locale": "en-US",
            "system_channel_flags": 0, "afk_channel_id": None, "system_channel_id": None,
        })  # fmt: skip
        self._identified.set()

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        if self._ws is None or self._ws.closed:
            raise RuntimeError("no gateway connection")
        self._seq += 1
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def close_gateway(self, code: int) -> None:
        """Drop the current gateway connection with a close code (4000 is resumable)."""
        assert self._ws is not None
        await self._ws.close(code=code)

    # -- events a test sends -----------------------------------------------------------------------------

    async def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        channel: str = CHANNEL_ID,
        permissions: str = ALL_PERMISSIONS,
    ) -> str:
        """A slash command from the human; returns the interaction token (followups are posted under it).
        ``name`` may name a subcommand: "brief topic". ``permissions``: the member's, as Discord resolves them."""
        opts = [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()]
        return await self._interaction(2, _command_data(name, opts), channel, permissions)

    async def autocomplete(self, name: str, options: dict[str, Any], focused: str) -> str:
        opts = [{"name": k, "type": 3, "value": v, **({"focused": True} if k == focused else {})}
                for k, v in options.items()]
        return await self._interaction(4, _command_data(name, opts), CHANNEL_ID, ALL_PERMISSIONS)

    async def _interaction(self, kind: int, data: dict[str, Any], channel: str, permissions: str) -> str:
        interaction_id, token = self.new_id(), f"itoken-{self.new_id()}"
        await self.dispatch("INTERACTION_CREATE", {
            "id": interaction_id, "application_id": APP_ID, "type": kind, "token": token, "version": 1,
            "guild_id": GUILD_ID, "channel_id": channel, "channel": text_channel(channel),
            "member": {"user": HUMAN, "roles": [], "joined_at": NOW, "deaf": False, "mute": False,
                       "permissions": permissions, "flags": 0},
            "data": {"id": self.new_id(), **data}, "locale": "en-US", "guild_locale": "en-US",
            "app_permissions": "2251799813685247", "entitlements": [], "authorizing_integration_owners": {},
            "context": 0, "attachment_size_limit": 8388608,
        })  # fmt: skip
        return token

    async def message(self, channel: str, content: str, author: dict[str, Any] = HUMAN) -> str:
        mid = self.new_id()
        await self.dispatch("MESSAGE_CREATE", {
            **self._message(channel, {"content": content}, author=author), "id": mid,
            "member": {"roles": [], "joined_at": NOW, "deaf": False, "mute": False, "flags": 0},
        })  # fmt: skip
        return mid


def _command_data(name: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """A command's interaction data; "group sub" nests the options under the subcommand (type 1)."""
    top, _, sub = name.partition(" ")
    if sub:
        return {"name": top, "type": 1, "options": [{"name": sub, "type": 1, "options": options}]}
    return {"name": top, "type": 1, "options": options}


def _payload_json(raw: bytes) -> Any:
    """discord.py sends multipart (payload_json) when a message has files; keep the JSON part."""
    match = re.search(rb'name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n(.*?)\r\n--', raw, re.S)
    return json.loads(match.group(1)) if match else None
