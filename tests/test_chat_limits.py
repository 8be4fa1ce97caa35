"""Abuse from chat (issue 14): schedules too frequent or never firing, non-ASCII digits, channel ids each
platform's rule refuses, and who may change a channel's digests."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import Briefbot
from bot.core.models import Inbound, ReplyKind
from bot.subscriptions import SubscriptionError, make_subscription


def make(**kw: Any) -> Any:
    base = {"platform": "slack", "channel": "C0123ABCD", "topic": "china-russia", "cadence": "daily"}
    return make_subscription(**(base | kw))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cadence": "cron * * * * *"}, "more often than every hour"),
        ({"cadence": "cron */30 * * * *"}, "more often than every hour"),
        ({"cadence": "cron 0,1 8 * * *"}, "more often than every hour"),  # two posts a minute apart, daily
        ({"cadence": "cron 0 0 31 2 *"}, "never fires"),
        ({"at": "08:\u0660\u0660"}, "is not a time of day"),  # Arabic-Indic zeros
        ({"at": "\uff10\uff18:00"}, "is not a time of day"),  # full-width digits
        ({"cadence": "cron 0 \u0668 * * *"}, "ASCII"),
        ({"platform": "discord", "channel": "\u0661\u0662\u0663"}, "not a Discord channel id"),
        ({"platform": "discord", "channel": "12" * 20}, "not a Discord channel id"),
        ({"channel": "C123\n<!channel>"}, "not a Slack channel id"),
        ({"channel": "<!channel>"}, "not a Slack channel id"),
        ({"channel": "C" + "A" * 100_000}, "not a Slack channel id"),
        ({"channel": "general"}, "not a Slack channel id"),
        ({"platform": "console", "channel": "ops\nrm -rf"}, "printable"),
        ({"platform": "pigeon"}, "Unknown platform 'pigeon'"),
    ],
)
def test_refused_with_a_message(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(SubscriptionError, match=message) as caught:
        make(**kw)
    assert len(str(caught.value)) < 400  # a 100k-character id is not echoed back


def test_hourly_is_the_default_minimum_and_it_is_configurable() -> None:
    assert make(cadence="cron 0 * * * *").cadence == "cron 0 * * * *"
    with pytest.raises(SubscriptionError, match="every 2 hours"):
        make(cadence="cron 0 * * * *", min_interval=7200)
    assert make(cadence="cron */5 * * * *", min_interval=0).cadence.startswith("cron")
    assert make(platform="discord", channel="1300000000000000001").channel == "1300000000000000001"
    assert make(channel=" C0123ABCD ").channel == "C0123ABCD"


async def test_chat_subscribe_every_minute_is_refused_and_the_minimum_comes_from_settings(
    settings_factory, tmp_path
) -> None:
    def cmd(text: str) -> Inbound:
        return Inbound("slack", "C0123ABCD", "U1", text, True)

    async with Briefbot(settings_factory()) as bot:
        minute = await bot.core.handle(cmd('subscribe china-russia cron "* * * * *"'))
        assert minute.kind is ReplyKind.ERROR and "more often than every hour" in minute.text
        never = await bot.core.handle(cmd('subscribe china-russia cron "0 0 31 2 *"'))
        assert never.kind is ReplyKind.ERROR and "never fires" in never.text
        hourly = await bot.core.handle(cmd('subscribe china-russia cron "0 * * * *"'))
        assert hourly.kind is ReplyKind.TEXT, hourly.text
    daily_minimum = settings_factory(digest_min_interval=86400, data_dir=tmp_path / "other")
    async with Briefbot(daily_minimum) as bot:
        hourly = await bot.core.handle(cmd('subscribe china-russia cron "0 * * * *"'))
        assert hourly.kind is ReplyKind.ERROR and "every 24 hours" in hourly.text
        assert await bot.subscriptions.all() == []


async def test_only_managers_change_digests_when_the_platform_says_who_they_are(settings_factory) -> None:
    async with Briefbot(settings_factory()) as bot:
        member = Inbound("slack", "C0123ABCD", "U1", "subscribe china-russia", True, can_manage=False)
        refused = await bot.core.handle(member)
        assert refused.kind is ReplyKind.ERROR and "manage this channel" in refused.text
        for text in ("unsubscribe china-russia", "sources add https://example.com/feed"):
            reply = await bot.core.handle(Inbound("slack", "C0123ABCD", "U1", text, True, can_manage=False))
            assert "manage this channel" in reply.text
        listing = await bot.core.handle(Inbound("slack", "C0123ABCD", "U1", "subscriptions", True, can_manage=False))
        assert listing.kind is ReplyKind.TEXT  # reading is for everyone
        manager = Inbound("slack", "C0123ABCD", "U2", "subscribe china-russia", True, can_manage=True)
        assert (await bot.core.handle(manager)).kind is ReplyKind.TEXT
        assert len(await bot.subscriptions.all()) == 1
