"""Slack adapter: bolt's AsyncApp over HTTP (/slack/events on the bot's web server, bot/web/) or Socket Mode.

Every request is acknowledged first and worked on after (bolt's ``process_before_response=False``), so
Slack's 3-second deadline holds however long a brief takes. Briefs are posted with chat.postMessage so
they have a ``ts`` whose thread then takes follow-up questions. Slack retries an event it believes was
not acknowledged; each ``event_id`` is claimed once through the core (Redis: across replicas). Slack
does not retry slash commands, so they need no such claim. Work slots are the core's (``WorkSlots``): a brief
or an answer holds one while it is computed and delivered, so a burst is acknowledged first; a 429 wait gives
the slot back, and cheap commands (help, topics, subscriptions) never take one, so neither queues behind
briefs. The adapter receives only its own ``SlackSettings`` (``bot.platforms.slack``).

slack_bolt and slack_sdk are imported inside the functions that use them: ``briefbot brief`` never pays
for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

from bot.core.handlers import BriefbotCore
from bot.core.models import Inbound, Reply, ReplyKind, StartupError, ThreadRef
from bot.core.work import WorkSlots
from bot.redact import redact
from bot.render.slack import escape, reply_message

if TYPE_CHECKING:
    from bot.platforms.slack import SlackSettings

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/brief"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"  # only where add_routes() mounts on a bare aiohttp app; bot/web serves its own
EVENT_TTL_SECONDS = 3600.0  # Slack retries within minutes; an hour of memory is plenty
RATE_LIMIT_RETRIES = 3
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")

# Slack API errors a user can fix, explained in one sentence (shown only to them).
EXPLAIN = {
    "not_in_channel": "I'm not a member of this channel, so I can't post the brief here. "
    "Invite me with `/invite @Briefbot`, then try again.",
    "channel_not_found": "I can't see this channel (private channels and DMs need me added first). "
    "Add me to it, then try again.",
    "is_archived": "This channel is archived, so I can't post in it.",
    "restricted_action": "This workspace's settings don't let me post in this channel.",
    "msg_too_long": "That brief was too long for Slack; try `/brief TOPIC short`.",
    "ratelimited": "Slack is rate-limiting me right now; please try again in a minute.",
}


def check_settings(settings: SlackSettings) -> None:
    """Refuse to start with a missing or malformed credential, naming the variable to fix."""
    token = (settings.bot_token or "").strip()
    if not token:
        raise StartupError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
            "OAuth & Permissions page"
        )
    if not token.startswith("xoxb-"):
        raise StartupError("SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token, not a user token)")
    app_token = (settings.app_token or "").strip()
    if app_token and not app_token.startswith("xapp-"):
        raise StartupError("SLACK_APP_TOKEN must start with xapp- (an app-level token with connections:write)")
    if not app_token and not (settings.signing_secret or "").strip():
        raise StartupError(
            "SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information > App Credentials); "
            "or set SLACK_APP_TOKEN to use Socket Mode"
        )
    url = settings.api_url
    if url and not re.match(r"^https?://[^\s/]+", url):
        raise StartupError(f"SLACK_API_URL must be an http(s) URL like https://slack.com/api/, got {redact(url)!r}")


def _api_url(settings: SlackSettings) -> str:
    url = settings.api_url or "https://slack.com/api/"
    return url if url.endswith("/") else url + "/"


def _slot_free_rate_limit_retry() -> Any:
    """slack_sdk's 429 handler (waits Retry-After, then retries) that gives the work slot back while it waits:
    a rate-limited post must not keep other briefs waiting."""
    from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

    class SlotFreeRateLimitRetry(AsyncRateLimitErrorRetryHandler):
        async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
            async with WorkSlots.released():
                await super().prepare_for_next_attempt_async(**kwargs)

    return SlotFreeRateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES)


def _error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    try:
        return str(response["error"]) if response is not None else type(error).__name__
    except (KeyError, TypeError):
        return type(error).__name__


# X-Slack-Request-Timestamp must be ASCII digits: slack_sdk's verifier calls int() on it, so garbage raised
# (HTTP 500 and a logged traceback per request: a log flood for anyone who reaches the port) and Unicode
# digits were accepted (issue 14).
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SlackAdapter:
    """A ChatAdapter for Slack: HTTP mode by default, Socket Mode when SLACK_APP_TOKEN is set."""

    platform = PLATFORM

    def __init__(
        self,
        core: BriefbotCore,
        settings: SlackSettings,
        host: str = "0.0.0.0",
        event_ttl: float = EVENT_TTL_SECONDS,
        serve: bool = True,
        web: Any = None,
    ) -> None:
        check_settings(settings)
        self.core = core
        self.settings = settings
        self.host = host
        self.event_ttl = event_ttl
        self.serve = serve  # False: another server mounts ``add_routes`` (HTTP mode binds no port of its own)
        self.socket_mode = bool((settings.app_token or "").strip())
        self.bot_user_id: str | None = None
        self.port: int | None = None  # the bound HTTP port once started (settings.http_port may be 0)
        self.web = web  # the bot's shared WebServer (bot/web/); None: HTTP mode starts one of its own
        self._own_web: Any = None
        self._started = False
        self._socket_handler: Any = None
        self._commands: set[asyncio.Task[None]] = set()  # /brief tasks started at ack time (kept referenced)
        self._authorized: Any = None  # bolt's AuthorizeResult, from one auth.test (see _authorize)
        self._auth_call: asyncio.Future[Any] | None = None
        self.app = self._build_app()

    # ---- wiring -------------------------------------------------------------------------------------

    def _build_app(self) -> Any:
        from slack_bolt.async_app import AsyncApp
        from slack_sdk.web.async_client import AsyncWebClient

        # no token yet: with one, bolt would authorize each request itself (below); the token is set right after
        client = AsyncWebClient(token=None, base_url=_api_url(self.settings))
        client.retry_handlers.append(_slot_free_rate_limit_retry())
        app = AsyncApp(
            client=client,
            signing_secret=(self.settings.signing_secret or "").strip(),
            request_verification_enabled=not self.socket_mode,  # Socket Mode frames are not signed
            logger=logging.getLogger("briefbot.slack_bolt"),
            authorize=self._bolt_authorize(),
        )
        client.token = (self.settings.bot_token or "").strip()  # our own calls: auth.test, digests, Socket Mode
        app.use(self._refuse_events_when_closing)
        app.use(self._ack_commands_at_once)
        app.command(COMMAND)(self._on_command)  # not reached while _ack_commands_at_once answers /brief
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_message)
        app.error(self._on_error)
        return app

    def _bolt_authorize(self) -> Any:
        """bolt passes an authorize function the arguments its signature names (a bound method's ``self``
        included), so it gets a plain function that takes none."""

        async def authorize() -> Any:
            return await self._authorize()

        return authorize

    async def _authorize(self) -> Any:
        """Who this bot is, for bolt's authorization middleware: one auth.test, shared by every request.

        bolt's own single-workspace authorization calls auth.test on the first requests, once per request until
        one has answered, so a burst of commands right after start made one call each and every ack waited for
        its own (bench/slack_ack.py: the first 50 acks of a fresh bot about 25 ms later than the next ones). The
        start-up check's answer is reused; a failed call is tried again by the next request."""
        if self._authorized is None:
            call = self._auth_call
            if call is None or (call.done() and (call.cancelled() or call.exception() is not None)):
                call = self._auth_call = asyncio.ensure_future(self.app.client.auth_test())
            self._remember_auth(await asyncio.shield(call))
        return self._authorized

    def _remember_auth(self, auth_test: Any) -> None:
        """Keep an auth.test answer: who this bot is, for bolt's authorization and for telling our own posts."""
        from slack_bolt.authorization import AuthorizeResult

        self.bot_user_id = auth_test.get("user_id")
        self._authorized = AuthorizeResult.from_auth_test_response(
            auth_test_response=auth_test, bot_token=self.app.client.token
        )

    def web_routes(self) -> list[tuple[str, str, Any]]:
        """What the web server must mount: bolt's handler for /slack/events in HTTP mode, nothing in Socket Mode."""
        if self.socket_mode:
            return []
        return [("POST", EVENTS_PATH, self._events_handler())]

    def _events_handler(self) -> Any:
        """POST /slack/events through bolt's own aiohttp conversion, after refusing a malformed timestamp
        (slack_sdk's verifier calls int() on it: a 500 and a logged traceback otherwise)."""
        from aiohttp import web
        from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

        async def events(request: web.Request) -> web.Response:
            stamp = request.headers.get("X-Slack-Request-Timestamp")
            if stamp is not None and not _TIMESTAMP.fullmatch(stamp):  # see _TIMESTAMP: 401, not a 500
                return web.json_response({"error": "invalid request"}, status=401)
            return await to_aiohttp_response(await self.app.async_dispatch(await to_bolt_request(request)))

        return events

    async def ready(self) -> bool:
        """Readiness: Socket Mode's websocket is up; in HTTP mode, the token was checked and events are served."""
        if self._socket_handler is not None:
            return bool(await self._socket_handler.client.is_connected())
        return self._started and not self.socket_mode

    def add_routes(self, web_app: Any) -> None:
        """Mount POST /slack/events (through bolt's own aiohttp request/response conversion) and GET /healthz
        on any aiohttp application: the adapter's own server, or a shared one (construct with ``serve=False``)."""
        from aiohttp import web

        async def healthz(_request: web.Request) -> web.Response:
            return web.Response(text="ok")

        web_app.router.add_post(EVENTS_PATH, self._events_handler())
        web_app.router.add_get(HEALTH_PATH, healthz)

    def web_app(self) -> Any:
        """The aiohttp application this adapter serves on its own port in HTTP mode."""
        from aiohttp import web

        web_app = web.Application()
        self.add_routes(web_app)
        return web_app

    async def start(self) -> None:
        import aiohttp

        # One pooled HTTP session for every Web API call: without it slack_sdk opens a new connection
        # (and bolt a new client) per call, which costs more than the rest of the request.
        self.app.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        try:
            await self._start()
        except BaseException:
            await self.stop()  # a failed start leaves no open session or half-bound port behind
            raise

    async def _start(self) -> None:
        await self._check_token()
        if self.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket_handler = AsyncSocketModeHandler(
                self.app, app_token=(self.settings.app_token or "").strip(), web_client=self.app.client
            )
            from slack_sdk.errors import SlackApiError

            try:  # the SDK would retry a rejected app token forever: ask once, fail clearly
                await self.app.client.apps_connections_open(app_token=(self.settings.app_token or "").strip())
            except SlackApiError as error:
                raise StartupError(f"SLACK_APP_TOKEN was rejected by Slack ({_error_code(error)})") from error
            await self._socket_handler.connect_async()
            self._started = True
            log.info("Slack: connected in Socket Mode")
            return
        if not self.serve:  # another aiohttp app mounts add_routes()
            self._started = True
            return
        if self.web is None:  # run alone (tests, the ack bench): a web server of our own
            from bot.web.server import WebServer

            self._own_web = self.web = WebServer(self.host, self.settings.http_port)
            for method, path, handler in self.web_routes():
                self.web.add_route(method, path, handler)
            await self.web.start()
        self.port = self.web.port
        self._started = True
        log.info("Slack: events at %s:%s%s", self.host, self.port, EVENTS_PATH)

    async def _check_token(self) -> None:
        """auth.test once: a rejected token stops startup with a clear line; an unreachable API only warns."""
        import aiohttp
        from slack_sdk.errors import SlackApiError

        url = redact(_api_url(self.settings))
        not_slack = f"SLACK_API_URL {url} does not answer like the Slack Web API (it should look like https://slack.com/api/)"
        try:
            result = await self.app.client.auth_test()
        except SlackApiError as error:
            code = _error_code(error)
            if code in ("None", ""):  # an answer without Slack's "error" field: not the Slack API at all
                raise StartupError(not_slack) from error
            raise StartupError(f"SLACK_BOT_TOKEN was rejected by Slack ({code})") from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:  # network: bolt retries on the first request
            log.warning("Slack API at %s not reachable at startup (%s); continuing", url, type(error).__name__)
            return
        except Exception as error:  # an answer that is not a JSON object (AttributeError, ValueError inside the SDK)
            raise StartupError(f"{not_slack}: {type(error).__name__}: {redact(error)}") from error
        self._remember_auth(result)  # requests need not ask again

    async def stop(self) -> None:
        if self._socket_handler is not None:
            try:
                await self._socket_handler.close_async()
            finally:
                self._socket_handler = None
        if self._own_web is not None:
            await self._own_web.stop()
            self.web = self._own_web = None
        self._started = False
        await self._close_client_sessions()

    async def _close_client_sessions(self) -> None:
        session = getattr(self.app.client, "session", None)
        if session is not None and not session.closed:
            await session.close()
        self.app.client.session = None

    # ---- listeners ----------------------------------------------------------------------------------

    async def _refuse_events_when_closing(self, body: dict[str, Any], next: Any) -> Any:
        """Shutting down: an event is answered 503 before any claim, so Slack retries it (to another replica,
        which claims and answers it) instead of this replica claiming it and then dropping it. Slash commands
        are not retried by Slack: they are still acknowledged and told that Briefbot is restarting."""
        if self.core.closing and body.get("type") == "event_callback":
            from slack_bolt.response import BoltResponse

            log.info("Slack: shutting down; event %s refused so Slack retries it", body.get("event_id"))
            return BoltResponse(status=503, body="")  # Socket Mode: no ack, same retry
        return await next()

    async def _ack_commands_at_once(self, body: dict[str, Any], context: Any, next: Any) -> Any:
        """/brief is acknowledged here, once bolt has verified and authorised the request, and handled in a
        task of its own. bolt's listener runner would start the listener and then poll for its ack() every
        10 ms: that poll was most of an uncontended ack (12 ms) and a timer per request under a burst."""
        if body.get("command") != COMMAND:
            return await next()
        from slack_bolt.response import BoltResponse

        task = asyncio.ensure_future(self._command_safely(body, context.respond, context.client))
        self._commands.add(task)
        task.add_done_callback(self._commands.discard)
        return BoltResponse(status=200, body="")

    async def _command_safely(self, command: dict[str, Any], respond: Any, client: Any) -> None:
        try:
            await self._command(command, respond, client)
        except Exception as error:  # what bolt's error handler did for listeners
            await self._on_error(error, command)

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        """/brief ...: ack at once (Slack's 3 seconds), then build and deliver the reply."""
        await ack()
        await self._command(command, respond, client)

    async def _command(self, command: dict[str, Any], respond: Any, client: Any) -> None:
        channel = command.get("channel_id", "")
        user = command.get("user_id", "")
        inbound = Inbound(
            PLATFORM,
            channel,
            user,
            command.get("text", "") or "",
            is_command=True,
            team=command.get("team_id"),
            user_name=command.get("user_name"),
            can_manage=self._can_manage(user),
        )
        reply = await self.core.handle(inbound)
        if reply is not None:
            async with self._slot(reply):
                await self._deliver(client, reply, channel, user, respond=respond)

    async def _on_message(
        self, event: dict[str, Any], body: dict[str, Any], say: Any, context: Any, request: Any = None
    ) -> None:
        """A message in a thread: answered only when the thread is one of our briefs (the core decides)."""
        if event.get("bot_id") or event.get("subtype") not in (None, "thread_broadcast", "file_share"):
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return  # top-level channel chatter is not ours
        text = event.get("text") or ""
        bot_user = self.bot_user_id or context.get("bot_user_id")
        if bot_user and f"<@{bot_user}" in text:
            return  # the app_mention event for the same message answers it
        if not await self._first_delivery(body, request):
            return
        await self._thread_message(event, body, say, context, thread_ts, text)

    async def _thread_message(
        self, event: dict[str, Any], body: dict[str, Any], say: Any, context: Any, thread_ts: str, text: str
    ) -> None:
        channel = event.get("channel", "")
        thread = ThreadRef(PLATFORM, channel, thread_ts)
        inbound = Inbound(PLATFORM, channel, event.get("user", ""), text, False, thread, team=body.get("team_id"))
        reply = await self.core.handle(inbound)
        if reply is not None:
            async with self._slot(reply):
                await self._answer_in_thread(
                    say, context.get("client"), reply, channel, event.get("user", ""), thread_ts
                )

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], say: Any, context: Any, request: Any = None
    ) -> None:
        """@Briefbot in a brief's thread: a follow-up. Elsewhere: the text is read as a /brief command."""
        if event.get("bot_id") or not await self._first_delivery(body, request):
            return
        await self._mention(event, body, say, context)

    async def _mention(self, event: dict[str, Any], body: dict[str, Any], say: Any, context: Any) -> None:
        channel = event.get("channel", "")
        user = event.get("user", "")
        text = MENTION.sub(" ", event.get("text") or "").strip()
        client = context.get("client")
        thread_ts = event.get("thread_ts")
        if thread_ts:
            thread = ThreadRef(PLATFORM, channel, thread_ts)
            inbound = Inbound(PLATFORM, channel, user, text, False, thread, team=body.get("team_id"))
            reply = await self.core.handle(inbound)
            if reply is not None:
                async with self._slot(reply):
                    await self._answer_in_thread(say, client, reply, channel, user, thread_ts)
                return
        inbound = Inbound(
            PLATFORM, channel, user, text, True, team=body.get("team_id"), can_manage=self._can_manage(user)
        )
        reply = await self.core.handle(inbound)
        if reply is not None:
            async with self._slot(reply):
                await self._deliver(client, reply, channel, user, thread_ts=event.get("thread_ts"))

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed (%s): %s", type(error).__name__, error, exc_info=error)

    async def _first_delivery(self, body: dict[str, Any], request: Any = None) -> bool:
        """True once per event_id: Slack's retries (X-Slack-Retry-Num) of an event are dropped here, and
        so is a retry whose event_id cannot be checked (the state store is down): never answered twice."""
        event_id = body.get("event_id")
        if not event_id:
            return True
        headers = getattr(request, "headers", None) or {}
        is_retry = bool(headers.get("x-slack-retry-num"))
        return await self.core.claim(PLATFORM, "event", event_id, ttl=self.event_ttl, is_retry=is_retry)

    def _slot(self, reply: Reply) -> Any:
        """Delivering a brief or an answer (rendering, JSON, HTTP) holds one of the core's work slots, so a burst
        is acknowledged first and delivered after; 429 waits give it back; other replies never wait for one."""
        if reply.kind in (ReplyKind.BRIEF, ReplyKind.ANSWER):
            return self.core.slots.hold()
        return contextlib.nullcontext()

    def _can_manage(self, user: str) -> bool | None:
        """Subscriptions and sources: the configured admins only; with no list, Slack has no rule (None)."""
        return user in self.settings.admins if self.settings.admins else None

    # ---- delivery -----------------------------------------------------------------------------------

    async def _deliver(
        self,
        client: Any,
        reply: Reply,
        channel: str,
        user: str,
        respond: Any = None,
        thread_ts: str | None = None,
    ) -> None:
        """A command's reply: a brief to the channel (so it has a thread), private replies to the user."""
        if reply.kind is ReplyKind.BRIEF:
            await self._post_brief(client, reply, channel, user, respond)
        elif reply.ephemeral:
            await self._ephemeral(client, reply.text, channel, user, respond, thread_ts, reply)
        else:
            try:
                await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **self._message(reply))
            except Exception as error:
                await self._explain_failure(client, error, channel, user, respond)

    async def _post_brief(self, client: Any, reply: Reply, channel: str, user: str, respond: Any) -> ThreadRef | None:
        try:
            result = await client.chat_postMessage(channel=channel, **self._message(reply))
        except Exception as error:
            await self._explain_failure(client, error, channel, user, respond)
            return None
        where = ThreadRef(PLATFORM, result.get("channel") or channel, str(result["ts"]))
        await self.core.brief_posted(reply, where)
        return where

    async def _answer_in_thread(
        self, say: Any, client: Any, reply: Reply, channel: str, user: str, thread_ts: str
    ) -> None:
        if reply.ephemeral:  # e.g. an error while answering: only the asker sees it
            await self._ephemeral(client, reply.text, channel, user, None, thread_ts, reply)
            return
        try:
            await say(thread_ts=thread_ts, **self._message(reply))
        except Exception as error:
            log.warning("Slack: could not answer in thread %s/%s: %s", channel, thread_ts, _error_code(error))

    async def _ephemeral(
        self,
        client: Any,
        text: str,
        channel: str,
        user: str,
        respond: Any,
        thread_ts: str | None = None,
        reply: Reply | None = None,
    ) -> None:
        """Only the user sees it: through the command's response_url when there is one, else postEphemeral."""
        message = self._message(reply) if reply is not None else {"text": escape(text)}
        try:
            if respond is not None:
                response = await respond(response_type="ephemeral", replace_original=False, **message)
                status = getattr(response, "status_code", 200)
                if status >= 300:
                    log.warning("Slack: response_url answered %s", status)
                return
            await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message)
        except Exception as error:  # nowhere left to tell the user: the log must
            log.warning("Slack: could not send a private reply in %s: %s", channel, _error_code(error))

    async def _explain_failure(self, client: Any, error: Exception, channel: str, user: str, respond: Any) -> None:
        """A post that Slack refused: logged, and explained to the user privately (never a crash)."""
        code = _error_code(error)
        log.warning("Slack: chat.postMessage to %s failed: %s", channel, code)
        text = EXPLAIN.get(code, f"Slack refused the message ({code}). The error has been logged.")
        await self._ephemeral(client, text, channel, user, respond)

    @staticmethod
    def _message(reply: Reply) -> dict[str, Any]:
        """text + blocks, with link previews off (an article link must not unfurl a stranger's page)."""
        return {**reply_message(reply), "unfurl_links": False, "unfurl_media": False}

    # ---- unprompted posts (digests) -----------------------------------------------------------------

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        """Post a digest or notice to a channel; returns where, so the caller registers the thread (once).

        Returns where it went (``thread_id`` is the message ``ts``). A post Slack refuses (not_in_channel,
        ratelimited past the retries...) is logged and raised: the caller must not count it as posted."""
        from slack_sdk.errors import SlackApiError

        try:
            result = await self.app.client.chat_postMessage(
                channel=channel, thread_ts=reply.thread.thread_id if reply.thread else None, **self._message(reply)
            )
        except SlackApiError as error:
            log.warning("Slack: posting to %s failed: %s", channel, _error_code(error))
            raise
        return ThreadRef(PLATFORM, result.get("channel") or channel, str(result["ts"]))
