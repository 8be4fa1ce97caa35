"""The command table: one row per command, the single source of usage lines, help and Discord descriptions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str  # the word after /brief ("" for a brief of a topic)
    usage: str  # how to write it, after "/brief "
    summary: str  # one line: what it does (also the Discord description, <= 100 characters)
    example: str = ""


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "",
        'TOPIC [short|full] [since 2d] [focus "QUESTION"]',
        "A brief of a topic (or of a few words): lead, key points with sources, quotes, timeline.",
        '/brief china-russia short since 2d focus "what did they sign?"',
    ),
    CommandSpec("ask", "ask TOPIC QUESTION", "Answer a question from a topic's articles only, with citations.",
                '/brief ask china-russia "Who met in Rome?"'),  # fmt: skip
    CommandSpec("topics", "topics", "The named topics and how many articles each has."),
    CommandSpec(
        "subscribe",
        'subscribe TOPIC [daily|weekdays|weekly DAY|cron "M H D M W"] [at HH:MM] [Area/City]',
        "A scheduled brief of a topic in this channel (channel managers only).",
        "/brief subscribe china-russia weekly fri at 08:00 Europe/Berlin",
    ),
    CommandSpec("unsubscribe", "unsubscribe TOPIC", "Stop a topic's scheduled brief in this channel."),
    CommandSpec("subscriptions", "subscriptions", "The scheduled briefs of this channel."),
    CommandSpec(
        "sources",
        "sources [since 2d] | sources add URL | sources remove ID",
        "The news sources Briefbot reads; channel managers add and remove them.",
    ),
    CommandSpec("help", "help [COMMAND]", "This help, or the usage of one command."),
)

BY_NAME = {spec.name: spec for spec in COMMANDS}
INTRO = "Briefbot condenses the news articles it has into a brief per topic."
OUTRO = (
    "Reply in a brief's thread to ask a follow-up question; answers come only from the articles. "
    "Quote a topic of several words: /brief \"spy balloon\" short. SINCE is a number with m, h, d or w "
    "(30m, 12h, 2d, 1w) or a date (2026-11-01)."
)


def usage(name: str) -> str:
    """'/brief subscribe TOPIC [...]': the usage line of one command."""
    return "/brief " + BY_NAME[name].usage


def help_text(command: str | None = None) -> str:
    """The help for every command, or for one; built from the table only."""
    if command:
        spec = BY_NAME.get(command)
        if spec is None:
            known = ", ".join(s.name for s in COMMANDS if s.name)
            return f"No command '{command}'. Commands: {known}."
        lines = [usage(spec.name), spec.summary]
        if spec.example:
            lines.append(f"Example: {spec.example}")
        return "\n".join(lines)
    lines = [INTRO, ""]
    for spec in COMMANDS:
        lines.append(f"  {usage(spec.name)}")
        lines.append(f"      {spec.summary}")
    lines += ["", OUTRO]
    return "\n".join(lines)
