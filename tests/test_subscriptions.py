"""Subscriptions: parsing and validation with clear messages, stable ids, the store (real Redis), static
digests from digests.toml, and the chat commands through the real core."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import Briefbot
from bot.core.models import Inbound, ReplyKind
from bot.subscriptions import (
    SubscriptionError,
    load_static,
    make_subscription,
    parse_cadence,
    parse_subscribe_args,
    parse_time,
    parse_timezone,
    subscription_id,
)
from tests.conftest import REDIS_URL


def test_parse_subscribe_args_defaults_and_options() -> None:
    plain = parse_subscribe_args("china-russia")
    assert (plain.topic, plain.cadence, plain.at, plain.tz) == ("china-russia", "daily", None, None)
    full = parse_subscribe_args("china-russia weekly fri at 7:30 Europe/Berlin")
    assert (full.topic, full.cadence, full.at, full.tz) == ("china-russia", "weekly fri", "7:30", "Europe/Berlin")
    cron = parse_subscribe_args("\u201cgrain exports\u201d cron \u201c0 6 * * 1-5\u201d America/Chicago")
    assert (cron.topic, cron.cadence, cron.tz) == ("grain exports", "cron 0 6 * * 1-5", "America/Chicago")
    assert parse_subscribe_args("grain exports weekdays 06:45").topic == "grain exports"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("", "Which topic?"),
        ("china-russia at", "'at' needs a time"),
        ("china-russia daily extra", "I don't understand 'extra'"),
        ("china-russia cron 0 8", "needs 5 fields"),
        ('china-russia cron "0 8 * *', "check the quotes"),
    ],
)
def test_parse_subscribe_args_rejects_with_a_usage_hint(args: str, message: str) -> None:
    with pytest.raises(SubscriptionError, match=message):
        parse_subscribe_args(args)


def test_field_validation_messages() -> None:
    assert parse_time("8:05") == "08:05"
    for bad in ("25:00", "07:60", "8am", "0800"):
        with pytest.raises(SubscriptionError, match="is not a time of day: use HH:MM"):
            parse_time(bad)
    assert parse_timezone("europe/berlin") == "Europe/Berlin"
    with pytest.raises(SubscriptionError, match="Did you mean Europe/Berlin"):
        parse_timezone("Europe/Berln")
    with pytest.raises(SubscriptionError, match="Unknown time zone 'Mars/Olympus'"):
        parse_timezone("Mars/Olympus")
    assert parse_cadence("weekly") == "weekly mon"
    assert parse_cadence("weekly Thursday") == "weekly thu"
    assert parse_cadence("0 8 * * 7") == "cron 0 8 * * sun"
    assert parse_cadence("cron 0 8 * * 1-5") == "cron 0 8 * * mon,tue,wed,thu,fri"
    for bad, message in [
        ("fortnightly", "Unknown schedule 'fortnightly'"),
        ("weekly someday", "not a day of the week"),
        ("61 8 * * *", "Bad cron expression"),
        ("0 8 * * 9", "not a cron day of the week"),
    ]:
        with pytest.raises(SubscriptionError, match=message):
            parse_cadence(bad)
    with pytest.raises(SubscriptionError, match="Unknown platform"):
        make_subscription("teams", "c", "t")
    with pytest.raises(SubscriptionError, match="not a Discord channel id"):
        make_subscription("discord", "#general", "t")
    with pytest.raises(SubscriptionError, match="sets its own time"):
        make_subscription("slack", "C1", "t", "cron 0 8 * * *", "09:00")


def test_ids_are_stable_per_platform_channel_topic() -> None:
    a = make_subscription("slack", "C1", "China-Russia", "daily", "08:00", "UTC")
    b = make_subscription("slack", "C1", "china-russia", "weekly tue", "17:00", "Asia/Tokyo")
    assert a.id == b.id == subscription_id("slack", "C1", "china-russia") and len(a.id) == 10
    assert a.id != make_subscription("slack", "C2", "china-russia").id
    assert a.id != subscription_id("discord", "C1", "china-russia")


def test_static_digests_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "digests.toml"
    path.write_text(
        """
[[digest]]
platform = "slack"
channel = "C0123456789"
topic = "china-russia"
at = "08:00"
tz = "Europe/Berlin"
cadence = "weekdays"

[[digest]]
platform = "discord"
channel = "42"
topic = "china-russia"
at = "25:00"
""",
        encoding="utf-8",
    )
    subs, warnings = load_static(path)
    assert [(s.platform, s.cadence, s.at, s.tz, s.origin) for s in subs] == [
        ("slack", "weekdays", "08:00", "Europe/Berlin", "config")
    ]
    assert len(warnings) == 1 and "digest #2 skipped" in warnings[0] and "25:00" in warnings[0]
    path.write_text("[[digest]\nbroken", encoding="utf-8")
    subs, warnings = load_static(path)
    assert subs == [] and "not readable as TOML" in warnings[0]
    assert load_static(tmp_path / "absent.toml") == ([], [])


# ---------------------------------------------------------------------------------- chat, real Redis


def cmd(text: str, channel: str = "C1", platform: str = "slack") -> Inbound:
    return Inbound(platform, channel, "U1", text, True, user_name="ana")


async def test_chat_subscribe_list_unsubscribe_in_redis(settings_factory, namespace, redis_client) -> None:
    settings = settings_factory(redis_url=REDIS_URL, default_timezone="America/New_York")
    async with Briefbot(settings, namespace=namespace) as bot:
        reply = await bot.core.handle(cmd("subscribe china-russia"))
        assert reply.kind is ReplyKind.TEXT, reply.text
        assert "daily at 08:00 America/New_York" in reply.text and "Next one:" in reply.text
        stored = await redis_client.hgetall(f"{namespace}:state:subscriptions")
        assert len(stored) == 1
        # subscribing again updates the same subscription instead of adding a second one
        reply = await bot.core.handle(cmd("subscribe china-russia weekly wed at 17:30 Asia/Tokyo"))
        assert reply.text.startswith("Updated") and "weekly on Wed at 17:30 Asia/Tokyo" in reply.text
        assert len(await redis_client.hgetall(f"{namespace}:state:subscriptions")) == 1
        (sub,) = await bot.subscriptions.all()
        assert (sub.created_by, sub.origin, sub.channel) == ("slack:ana", "chat", "C1")

        listing = await bot.core.handle(cmd("subscriptions"))
        assert "china-russia" in listing.text and sub.id in listing.text
        elsewhere = await bot.core.handle(cmd("subscriptions", channel="C2"))
        assert "no digests" in elsewhere.text

        gone = await bot.core.handle(cmd("unsubscribe nothing-here"))
        assert gone.kind is ReplyKind.ERROR and "Its digests: china-russia" in gone.text
        done = await bot.core.handle(cmd("unsubscribe china-russia"))
        assert done.kind is ReplyKind.TEXT and done.text.startswith("Unsubscribed")
        assert await redis_client.hgetall(f"{namespace}:state:subscriptions") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subscribe china-rusia", "Did you mean: china-russia"),
        ("subscribe china-russia at 25:00", "'25:00' is not a time of day"),
        ("subscribe china-russia Europe/Atlantis", "Unknown time zone 'Europe/Atlantis'"),
        ("subscribe china-russia hourly", "I don't understand 'hourly'"),
        ('subscribe china-russia cron "0 8 * * *" at 09:00', "sets its own time"),
    ],
)
async def test_chat_subscribe_rejects_bad_input_clearly(settings_factory, text: str, message: str) -> None:
    async with Briefbot(settings_factory()) as bot:
        reply = await bot.core.handle(cmd(text))
        assert reply.kind is ReplyKind.ERROR and reply.ephemeral
        assert message in reply.text
        assert await bot.subscriptions.all() == []


async def test_chat_cannot_remove_an_operator_digest(settings_factory, tmp_path: Path) -> None:
    path = tmp_path / "digests.toml"
    path.write_text('[[digest]]\nplatform = "slack"\nchannel = "C1"\ntopic = "china-russia"\nat = "06:00"\n')
    async with Briefbot(settings_factory(digests_file=path)) as bot:
        listing = await bot.core.handle(cmd("subscriptions"))
        assert "daily at 06:00 UTC" in listing.text
        reply = await bot.core.handle(cmd("unsubscribe china-russia"))
        assert "digests.toml" in reply.text
        assert len(await bot.subscriptions.all()) == 1
