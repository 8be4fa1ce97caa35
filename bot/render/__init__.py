"""Renderers: a Brief as terminal text, Slack Block Kit or Discord embeds."""
