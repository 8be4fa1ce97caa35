"""Discord adapter: slash commands and thread follow-ups through discord.py 2.x.

``/brief`` defers at once (Discord allows 3 seconds), builds the brief through the core, posts it as embeds
in the followup, opens a thread on it and remembers the thread, so questions asked there are answered from
that brief's articles. Mentions never ping (``AllowedMentions.none()`` on the client); missing permissions
are explained to the user privately. discord.py is imported only when the adapter starts.

Commands: a ``/brief`` group (topic, ask, topics, subscriptions, sources, help) whose typed options build the
same typed requests as the text grammar (``bot.commands``), plus ``/subscribe``, ``/unsubscribe`` and
``/sources`` (add, remove) declared with ``default_permissions(manage_channels=True)``: Discord hides them
from members who cannot manage the channel, and the core checks the member's permission again at run time.
Commands are synced only when their definition changed (a hash kept through the core's state store), not
on every start of every replica. Typing indicators are cosmetic: their failure never costs the answer.

DISCORD_API_URL / DISCORD_GATEWAY_URL: discord.py 2.7 has no per-client setting for either (``Route.BASE``
and ``DiscordWebSocket.DEFAULT_GATEWAY`` are class attributes, used by webhooks and shards alike), so the
adapter sets them only when configured (tests, proxies) and puts them back on stop.

Threads are identified as ``ThreadRef("discord", thread_id, thread_id)``: a Discord thread is its own
channel, so the id of the channel a follow-up arrives in is all that is needed to find the brief again.

Note: no ``from __future__ import annotations`` here: discord.py reads the slash-command parameters'
annotations at definition time, inside functions where ``discord`` is a local name.
"""

import asyncio
import hashlib
import json
import logging
import re
import zoneinfo
from typing import TYPE_CHECKING, Any, Literal

from bot.commands import (
    AskRequest,
    BriefRequest,
    HelpRequest,
    Request,
    SourcesRequest,
    SubscriptionsRequest,
    TopicsRequest,
    UnsubscribeRequest,
    UsageError,
    parse_since,
    subscribe_from_options,
)
from bot.commands.table import BY_NAME
from bot.core.handlers import BriefbotCore
from bot.core.models import Inbound, Reply, ReplyKind, StartupError, ThreadRef
from bot.render.discord import answer_embed, brief_embeds, digest_note, text_messages, thread_name

if TYPE_CHECKING:
    from bot.platforms.discord import DiscordSettings

log = logging.getLogger(__name__)

PLATFORM = "discord"
SCOPES = ("bot", "applications.commands")
PERMISSION_NAMES = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "create_public_threads",
    "embed_links",
    "read_message_history",
)
MISSING_THREAD_PERMISSIONS = (
    "I posted the brief but could not open a thread for follow-up questions here: I need the "
    "Create Public Threads and Send Messages in Threads permissions in this channel."
)
DEDUPE_TTL = 86400.0  # one replica answers each interaction/message when several share a token
PRIVATE_REQUESTS = (HelpRequest, TopicsRequest)  # answered only to the asker: the defer is private too


def required_permissions() -> Any:
    """The ``discord.Permissions`` Briefbot needs, and nothing more."""
    import discord

    return discord.Permissions(**dict.fromkeys(PERMISSION_NAMES, True))


def invite_url(client_id: str) -> str:
    """The OAuth2 link that adds the bot with exactly its scopes and permissions."""
    client_id = str(client_id).strip()
    if not client_id.isdigit():
        raise ValueError(
            f"Discord client id must be the numeric Application ID (Developer Portal > OAuth2), got {client_id!r}"
        )
    import discord

    return discord.utils.oauth_url(client_id, permissions=required_permissions(), scopes=SCOPES)


def _timezones(current: str, limit: int = 25) -> list[str]:
    needle = current.strip().lower().replace(" ", "_")
    names = sorted(zoneinfo.available_timezones())
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


async def _thread_for(channel: Any, message: Any, brief: Any) -> Any:
    """The thread a brief's follow-ups go to: a new one on the message, or the thread it was posted in.

    Created through the channel, not the message: an interaction followup's message carries no guild.
    """
    import discord

    if isinstance(channel, discord.Thread):
        return channel
    if not isinstance(channel, discord.TextChannel):
        raise ValueError(f"cannot open a thread in {type(channel).__name__}")
    return await channel.create_thread(name=thread_name(brief), message=message, auto_archive_duration=1440)


class DiscordAdapter:
    """The Discord side of Briefbot; ``start`` logs in, syncs the slash commands and connects."""

    platform = PLATFORM

    def __init__(
        self,
        core: BriefbotCore,
        settings: "DiscordSettings",
        *,
        guild_ready_timeout: float = 2.0,
        ready_timeout: float = 30.0,
    ) -> None:
        self.core = core
        self.settings = settings
        self.guild_ready_timeout = guild_ready_timeout
        self.ready_timeout = ready_timeout
        self.client: Any = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._saved_endpoints: tuple[Any, Any] | None = None

    # -- lifetime ---------------------------------------------------------------------------------

    async def ready(self) -> bool:
        """Readiness: logged in and connected to the gateway."""
        return self.client is not None and self.client.is_ready() and not self.client.is_closed()

    async def start(self) -> None:
        token = (self.settings.token or "").strip()
        if not token:
            raise StartupError(
                "DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal (Bot > Token) "
                "and put its token in DISCORD_TOKEN"
            )
        import aiohttp
        import discord

        self._apply_endpoints()
        self.client = self._build_client()
        try:
            await self.client.login(token)
        except discord.LoginFailure as failure:
            await self.stop()
            raise StartupError(
                "Discord rejected DISCORD_TOKEN (401 Unauthorized): copy a fresh token from the "
                "Developer Portal (Bot > Reset Token)"
            ) from failure
        except StartupError:
            await self.stop()
            raise
        except (discord.HTTPException, aiohttp.ClientError, OSError) as failure:
            await self.stop()
            raise StartupError(f"cannot log in to Discord: {failure}") from failure
        self._task = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
        self._task.add_done_callback(self._gateway_ended)
        await self._wait_ready(discord)

    async def _wait_ready(self, discord: Any) -> None:
        """Return once connected; turn the operator's gateway mistakes into one clear line."""
        assert self._task is not None
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait({ready, self._task}, timeout=self.ready_timeout, return_when="FIRST_COMPLETED")
        ready.cancel()
        if self._task in done and self._task.exception() is not None:
            failure = self._task.exception()
            await self.stop()
            if isinstance(failure, discord.PrivilegedIntentsRequired):
                raise StartupError(
                    "Discord refused the Message Content intent: enable 'Message Content Intent' under "
                    "Bot > Privileged Gateway Intents in the Developer Portal"
                ) from failure
            raise StartupError(f"Discord gateway connection failed: {failure}") from failure
        if not done:
            log.warning("Discord gateway not ready after %.0fs; still trying in the background", self.ready_timeout)

    def _gateway_ended(self, task: "asyncio.Task[None]") -> None:
        if not task.cancelled() and task.exception() is not None and self._ready.is_set():
            log.error("Discord gateway stopped: %s", task.exception())

    async def stop(self) -> None:
        if self.client is not None and not self.client.is_closed():
            await self.client.close()
        if self._task is not None:
            if not self._task.done():
                self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._restore_endpoints()

    def _apply_endpoints(self) -> None:
        """DISCORD_API_URL / DISCORD_GATEWAY_URL: discord.py keeps both as class attributes."""
        import discord.gateway
        import discord.http
        import yarl

        if not (self.settings.api_url or self.settings.gateway_url):
            return  # the defaults: nothing process-wide is touched
        self._saved_endpoints = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        if self.settings.api_url:
            discord.http.Route.BASE = self.settings.api_url.rstrip("/")
        if self.settings.gateway_url:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.settings.gateway_url)

    def _restore_endpoints(self) -> None:
        if self._saved_endpoints is None:
            return
        import discord.gateway
        import discord.http

        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved_endpoints
        self._saved_endpoints = None

    # -- the client and its commands ---------------------------------------------------------------

    def _build_client(self) -> Any:
        import discord
        from discord import app_commands

        adapter = self
        intents = discord.Intents.default()
        intents.message_content = True  # privileged: follow-up questions are read from thread messages

        # Briefbot has no voice: silence the library's start-up warnings about missing voice packages.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False

        class BriefbotClient(discord.Client):
            def __init__(self) -> None:
                super().__init__(
                    intents=intents,
                    allowed_mentions=discord.AllowedMentions.none(),
                    chunk_guilds_at_startup=False,
                    guild_ready_timeout=adapter.guild_ready_timeout,
                )
                self.tree = app_commands.CommandTree(self)
                self.tree.on_error = adapter._command_failed

            async def setup_hook(self) -> None:
                await adapter._sync_commands(self.tree)

            async def on_ready(self) -> None:
                adapter._ready.set()

            async def on_message(self, message: discord.Message) -> None:
                await adapter.on_message(message)

        client = BriefbotClient()
        self._register_commands(client.tree)
        return client

    async def _sync_commands(self, tree: Any) -> None:
        import discord

        guild_id = self.settings.guild_id
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        digest = commands_hash(tree, guild)
        marker = f"discord:commands:{self.client.application_id}:{guild_id or 'global'}"
        try:
            if await self.core.marker(marker) == digest:
                log.info("Discord: slash commands unchanged; not syncing")
                return
        except Exception:  # no state store: sync, as before
            log.warning("Discord: could not read the commands marker; syncing", exc_info=True)
        try:
            await tree.sync(guild=guild)
        except discord.Forbidden as failure:
            where = f"server {guild_id} (DISCORD_GUILD_ID)" if guild_id else "this application"
            raise StartupError(
                f"Discord refused to register the slash commands in {where}: invite the bot with "
                "`briefbot discord invite-url` (scopes bot and applications.commands)"
            ) from failure
        log.info("Discord: slash commands synced (%s)", f"server {guild_id}" if guild_id else "global")
        try:
            await self.core.set_marker(marker, digest)
        except Exception:
            log.warning("Discord: could not store the commands marker; the next start syncs again", exc_info=True)

    def _register_commands(self, tree: Any) -> None:
        """The command definitions: each one builds a typed request from its typed options."""
        import discord
        from discord import app_commands

        adapter = self

        async def topic_choices(interaction: discord.Interaction, current: str) -> list[Any]:
            return await adapter.topic_choices(current)

        async def zone_choices(interaction: discord.Interaction, current: str) -> list[Any]:
            return [app_commands.Choice(name=z, value=z) for z in _timezones(current)]

        def since_of(text: str | None) -> dict[str, Any]:
            text = (text or "").strip()
            return {"since": parse_since(text), "since_text": text} if text else {}

        brief = app_commands.Group(name="brief", description="Cited news briefs; ask follow-ups in their threads.")

        @brief.command(name="topic", description=BY_NAME[""].summary[:100])
        @app_commands.describe(
            topic="A topic from the list, or a few words",
            length="short or full (default full)",
            since="Only articles since: 30m, 12h, 2d, 1w or a date like 2026-11-01",
            focus="A question the brief should lead with",
        )
        @app_commands.autocomplete(topic=topic_choices)
        async def brief_topic(
            interaction: discord.Interaction,
            topic: str,
            length: Literal["short", "full"] = "full",
            since: str | None = None,
            focus: str | None = None,
        ) -> None:
            await adapter.run_command(interaction, lambda: BriefRequest(
                topic.strip(), length, focus=(focus or "").strip() or None, **since_of(since)))  # fmt: skip

        @brief.command(name="ask", description=BY_NAME["ask"].summary[:100])
        @app_commands.describe(topic="The topic whose articles answer", question="The question")
        @app_commands.autocomplete(topic=topic_choices)
        async def brief_ask(interaction: discord.Interaction, topic: str, question: str) -> None:
            await adapter.run_command(interaction, lambda: AskRequest(topic.strip(), question.strip()))

        @brief.command(name="topics", description=BY_NAME["topics"].summary[:100])
        async def brief_topics(interaction: discord.Interaction) -> None:
            await adapter.run_command(interaction, TopicsRequest)

        @brief.command(name="subscriptions", description=BY_NAME["subscriptions"].summary[:100])
        async def brief_subscriptions(interaction: discord.Interaction) -> None:
            await adapter.run_command(interaction, SubscriptionsRequest)

        @brief.command(name="sources", description="The news sources Briefbot reads.")
        @app_commands.describe(since="Only sources updated since: 30m, 12h, 2d, 1w or a date")
        async def brief_sources(interaction: discord.Interaction, since: str | None = None) -> None:
            await adapter.run_command(interaction, lambda: SourcesRequest(**since_of(since)))

        @brief.command(name="help", description=BY_NAME["help"].summary[:100])
        @app_commands.describe(command="One command's usage (empty: all of them)")
        async def brief_help(interaction: discord.Interaction, command: str | None = None) -> None:
            await adapter.run_command(interaction, lambda: HelpRequest((command or "").strip().lower() or None))

        tree.add_command(brief)

        manage = discord.Permissions(manage_channels=True)

        @tree.command(name="subscribe", description=BY_NAME["subscribe"].summary[:100])
        @app_commands.describe(
            topic="The topic to follow",
            cadence="How often (default daily)",
            day="For weekly: the day (default Monday)",
            cron='For cron: five fields, e.g. "30 7 * * 1-5"',
            time="Time of day, 24-hour HH:MM (default 08:00)",
            timezone="Area/City, e.g. Europe/Berlin (default UTC)",
        )
        @app_commands.autocomplete(topic=topic_choices, timezone=zone_choices)
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        async def subscribe(
            interaction: discord.Interaction,
            topic: str,
            cadence: Literal["daily", "weekdays", "weekly", "cron"] = "daily",
            day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = None,
            cron: str | None = None,
            time: str | None = None,
            timezone: str | None = None,
        ) -> None:
            await adapter.run_command(
                interaction, lambda: subscribe_from_options(topic, cadence, day, cron, time, timezone)
            )

        @tree.command(name="unsubscribe", description=BY_NAME["unsubscribe"].summary[:100])
        @app_commands.describe(topic="The topic to stop")
        @app_commands.autocomplete(topic=topic_choices)
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        async def unsubscribe(interaction: discord.Interaction, topic: str) -> None:
            await adapter.run_command(interaction, lambda: UnsubscribeRequest(" ".join(topic.split())))

        sources = app_commands.Group(
            name="sources", description="Add or remove the news sources Briefbot reads.",
            default_permissions=manage, guild_only=True,
        )  # fmt: skip

        @sources.command(name="add", description="Add a news source (a feed or page URL).")
        async def sources_add(interaction: discord.Interaction, url: str) -> None:
            await adapter.run_command(interaction, lambda: SourcesRequest("add", url.strip()))

        @sources.command(name="remove", description="Remove a news source by its id (see /brief sources).")
        async def sources_remove(interaction: discord.Interaction, source: str) -> None:
            await adapter.run_command(interaction, lambda: SourcesRequest("remove", source.strip()))

        tree.add_command(sources)

    async def topic_choices(self, current: str) -> list[Any]:
        """Autocomplete: topics whose name or title contains what the user typed, prefix matches first."""
        from discord import app_commands

        needle = current.strip().lower()
        topics = await self.core.service.topic_list()
        ranked = sorted(
            (t for t in topics if needle in t.name.lower() or needle in t.title.lower()),
            key=lambda t: (not t.name.lower().startswith(needle), t.name),
        )
        choices = []
        for t in ranked[:25]:
            label = f"{t.name} \u2014 {t.title} ({t.articles} articles)"
            choices.append(app_commands.Choice(name=label[:100], value=t.name[:100]))
        return choices

    # -- commands ----------------------------------------------------------------------------------

    async def _first_time(self, kind: str, ident: int) -> bool:
        """True for the first replica to see this event; the others stay silent. Discord does not redeliver
        an event, so one whose id cannot be checked (state store down) is answered."""
        return await self.core.claim(PLATFORM, kind, ident, ttl=DEDUPE_TTL)

    def _inbound(self, channel_id: Any, user: Any, guild_id: Any, text: str, **kw: Any) -> Inbound:
        return Inbound(
            platform=PLATFORM,
            channel=str(channel_id),
            user=str(user.id),
            text=text,
            team=str(guild_id) if guild_id else None,
            user_name=getattr(user, "name", None),
            **kw,
        )

    async def run_command(self, interaction: Any, build: Any) -> None:
        """Build the typed request (a UsageError is the user's to fix), defer at once, ask the core, deliver.
        Help and topics are private from the start; other commands defer publicly and a private reply (an
        error) is handled in ``deliver``."""
        if not await self._first_time("interaction", interaction.id):
            return
        try:
            request: Request | None = build()
            problem = None
        except UsageError as wrong:
            request, problem = None, str(wrong)
        private = request is None or isinstance(request, PRIVATE_REQUESTS)
        await interaction.response.defer(ephemeral=private, thinking=True)
        if request is None:
            reply = Reply(ReplyKind.ERROR, problem or "", ephemeral=True)
        else:
            permissions = getattr(interaction, "permissions", None)
            can_manage = bool(permissions.manage_channels) if permissions is not None else None
            inbound = self._inbound(
                interaction.channel_id, interaction.user, interaction.guild_id, "", can_manage=can_manage
            )
            reply = await self.core.handle_request(inbound, request)
        await self.deliver(interaction, reply, deferred_private=private)

    async def deliver(self, interaction: Any, reply: Reply, *, deferred_private: bool) -> None:
        import discord

        if reply.kind is ReplyKind.BRIEF and reply.brief is not None and not deferred_private:
            await self._post_brief(interaction, reply)
            return
        payloads = self._payloads(reply)
        if reply.ephemeral and not deferred_private:
            await self._private_after_public_defer(interaction, payloads)
            return
        for payload in payloads:
            try:
                await interaction.followup.send(**payload, ephemeral=deferred_private)
            except discord.HTTPException:
                log.exception("could not send a reply to a Discord interaction")
                return

    async def _private_after_public_defer(self, interaction: Any, payloads: list[dict[str, Any]]) -> None:
        """The first followup of a public defer would replace the public "thinking" message (ignoring
        ``ephemeral``), so: settle that message, send the reply privately, then remove the public one."""
        import discord

        try:
            await interaction.edit_original_response(content="Briefbot answered privately.")
            for payload in payloads:
                await interaction.followup.send(**payload, ephemeral=True)
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.exception("could not send a private reply to a Discord interaction")

    def _payloads(self, reply: Reply) -> list[dict[str, Any]]:
        import discord

        if reply.kind is ReplyKind.BRIEF and reply.brief is not None:
            embeds = brief_embeds(reply.brief, reply.extra.get("page_url"), digest_note(reply.extra))
            return [{"embeds": [discord.Embed.from_dict(e) for e in embeds]}]
        if reply.kind is ReplyKind.ANSWER and reply.answer is not None:
            return [{"embed": discord.Embed.from_dict(answer_embed(reply.answer))}]
        return [{"content": chunk} for chunk in text_messages(reply.text)]

    async def _post_brief(self, interaction: Any, reply: Reply) -> None:
        import discord

        assert reply.brief is not None
        embeds = [discord.Embed.from_dict(e) for e in brief_embeds(reply.brief, reply.extra.get("page_url"))]
        try:
            message = await interaction.followup.send(embeds=embeds, wait=True)
        except discord.Forbidden:
            await self._tell(interaction, "I can't post embeds here: I need the Embed Links permission.")
            return
        except discord.HTTPException:
            log.exception("could not post a brief to Discord")
            await self._tell(interaction, "Sorry, Discord refused the brief. The error has been logged.")
            return
        await self._open_thread(interaction, message, reply)

    async def _open_thread(self, interaction: Any, message: Any, reply: Reply) -> ThreadRef | None:
        """A thread on the brief, remembered so its messages are answered from the brief's articles.
        A brief asked for inside a thread makes that thread the brief's thread."""
        import discord

        assert reply.brief is not None
        channel = interaction.channel
        try:
            thread = await _thread_for(channel, message, reply.brief)
            where = ThreadRef(PLATFORM, str(thread.id), str(thread.id))
            await self.core.brief_posted(reply, where)
            await thread.send("Ask a follow-up question here; answers come only from this brief's articles.")
            return where
        except discord.Forbidden:
            await self._tell(interaction, MISSING_THREAD_PERMISSIONS)
        except ValueError:  # no guild: a DM or a channel the client has not cached
            log.info("no thread for a brief in Discord channel %s (%s)", interaction.channel_id, type(channel).__name__)
            await self._tell(interaction, "Follow-up questions need a server channel where I can open a thread.")
        except discord.HTTPException:
            log.exception("could not open a thread on a brief")
            await self._tell(interaction, "I posted the brief but could not open its thread (logged).")
        return None

    async def _tell(self, interaction: Any, text: str) -> None:
        """A private note to the user who ran the command (best effort)."""
        import discord

        try:
            await interaction.followup.send(content=text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell a Discord user: %s", text)

    async def _command_failed(self, interaction: Any, error: Exception) -> None:
        """Anything a command raised: the user gets a sentence, the log gets the traceback."""
        log.error("Discord command failed", exc_info=error)
        text = "Sorry, something went wrong while preparing that. The error has been logged."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(content=text, ephemeral=True)
            else:
                await interaction.response.send_message(content=text, ephemeral=True)
        except Exception:  # the interaction may be gone; nothing more to do
            log.warning("could not report a command error to the Discord user")

    # -- follow-ups in threads ---------------------------------------------------------------------

    async def on_message(self, message: Any) -> None:
        """A question in a brief's thread is answered there; every other message is ignored."""
        import discord

        if message.author.bot or message.webhook_id is not None:
            return  # never answer ourselves or other bots
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        channel = message.channel
        if not isinstance(channel, (discord.Thread, discord.PartialMessageable)):
            return  # follow-ups only arrive in threads (an uncached thread is a PartialMessageable)
        where = ThreadRef(PLATFORM, str(channel.id), str(channel.id))
        context = await self.core.thread_context(where)
        if context is None or not await self._first_time("message", message.id):
            return
        text = self._without_bot_mention(message.content)
        inbound = self._inbound(channel.id, message.author, message.guild and message.guild.id, text,
                                is_command=False, thread=where)
        typing = asyncio.create_task(self._typing(channel))  # cosmetic: never guards the answer
        try:
            reply = await self.core.handle(inbound)
        finally:
            typing.cancel()
            await asyncio.gather(typing, return_exceptions=True)
        if reply is None:
            return
        numbers = {aid: i for i, aid in enumerate(context.article_ids, 1)}
        if reply.kind is ReplyKind.ANSWER and reply.answer is not None:
            payloads: list[dict[str, Any]] = [{"embed": discord.Embed.from_dict(answer_embed(reply.answer, numbers))}]
        else:
            payloads = self._payloads(reply)
        try:
            for payload in payloads:
                await channel.send(**payload, reference=message.to_reference(fail_if_not_exists=False))
        except discord.Forbidden:
            log.warning("missing permission to answer in Discord thread %s (Send Messages in Threads)", channel.id)
        except discord.HTTPException:
            log.exception("could not answer in Discord thread %s", channel.id)

    @staticmethod
    async def _typing(channel: Any) -> None:
        """Show "Briefbot is typing" while the answer is built; a refusal (403, 404, 429) only logs."""
        try:
            async with channel.typing():
                await asyncio.Event().wait()  # until cancelled by the answer
        except asyncio.CancelledError:
            raise
        except Exception as failure:
            log.info("Discord: typing indicator in %s failed (%s); answering anyway", channel.id, failure)

    def _without_bot_mention(self, text: str) -> str:
        user = getattr(self.client, "user", None)
        if user is None:
            return text.strip()
        return re.sub(rf"<@!?{user.id}>", "", text).strip()

    # -- unprompted posts (digests) ----------------------------------------------------------------

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        """Post to a channel id; a brief gets a thread, returned so the caller registers it (once)."""
        import discord

        if self.client is None:
            raise RuntimeError("the Discord adapter is not started")
        target = self.client.get_channel(int(channel)) or await self.client.fetch_channel(int(channel))
        try:
            message = None
            for payload in self._payloads(reply):
                message = await target.send(**payload)
        except discord.Forbidden:  # raised: a refused digest must not count as posted
            log.warning("missing permissions to post in Discord channel %s", channel)
            raise
        if message is None:
            raise RuntimeError(f"nothing to post to Discord channel {channel}")
        if reply.kind is not ReplyKind.BRIEF or reply.brief is None:
            return ThreadRef(PLATFORM, channel, str(message.id))
        try:
            thread = await _thread_for(target, message, reply.brief)
        except discord.HTTPException as error:  # the message is out (posted), only its thread is missing
            log.warning("posted to Discord channel %s but could not open a thread: %s", channel, error)
            return ThreadRef(PLATFORM, channel, str(message.id))
        return ThreadRef(PLATFORM, str(thread.id), str(thread.id))  # the caller registers it, once


def commands_hash(tree: Any, guild: Any = None) -> str:
    """A hash of the command definitions as Discord receives them: a change of name, option, description or
    permission changes it, so replicas sync only after an upgrade that changed the commands."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    text = json.dumps(sorted(payload, key=lambda c: c["name"]), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
