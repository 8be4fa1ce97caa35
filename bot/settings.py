"""Settings: the only reader of environment variables, of ``.env`` and of the settings.toml files.

Everything else receives a ``Settings`` object, so tests build one explicitly instead of patching the
environment. Briefbot reads only ``BRIEFBOT_*`` variables plus the platforms' conventional ``SLACK_*``,
``DISCORD_*`` and ``REDIS_URL`` (docs/architecture.md, "Settings and config"). Precedence, highest first:
arguments, the environment, ``.env`` in the current directory, then settings.toml from each config directory
(``config_dirs()``: ``$BRIEFBOT_CONFIG_DIR``, else ``./config`` and the user's config directory; the defaults the
package ships come last).
"""

from __future__ import annotations

import difflib
import logging
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"  # shipped in the wheel as package data
ENV_PREFIX = "BRIEFBOT_"
DOTENV = Path(".env")
# BRIEFBOT_ variables that are not settings: read by docker-compose and by the test suite.
NOT_SETTINGS = frozenset({"BRIEFBOT_CONFIG_DIR", "BRIEFBOT_PLATFORMS", "BRIEFBOT_TEST_REDIS_URL"})


def _dotenv(path: Path = DOTENV) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _variables() -> dict[str, str]:
    """The environment over ``.env``: what settings are read from."""
    return _dotenv() | dict(os.environ)


def user_config_dir() -> Path:
    from platformdirs import user_config_dir as platform_dir

    return Path(platform_dir("briefbot", appauthor=False))


def config_dirs(variables: dict[str, str] | None = None) -> list[Path]:
    """Where config files are looked up, first match wins: ``$BRIEFBOT_CONFIG_DIR`` alone when set, else
    ``./config`` then the user's config dir (``~/.config/briefbot`` on Linux); the shipped defaults last."""
    variables = _variables() if variables is None else variables
    explicit = variables.get("BRIEFBOT_CONFIG_DIR", "").strip()
    first = [Path(explicit).expanduser()] if explicit else [Path("config"), user_config_dir()]
    return [*first, DEFAULTS_DIR]


class SlackSettings(BaseModel):
    """``SLACK_*`` variables (or a ``[slack]`` table in settings.toml)."""

    model_config = ConfigDict(extra="forbid")

    bot_token: str | None = Field(None, repr=False)  # SLACK_BOT_TOKEN
    signing_secret: str | None = Field(None, repr=False)  # SLACK_SIGNING_SECRET: HTTP mode
    app_token: str | None = Field(None, repr=False)  # SLACK_APP_TOKEN: Socket Mode when set
    api_url: str | None = None  # SLACK_API_URL: another Web API base (tests, proxies)
    admins: str = ""  # SLACK_ADMINS: user ids (comma-separated) who may change subscriptions; empty: everyone

    # Hostile input (issue 14): one line naming SLACK_API_URL at start-up, never its value.
    @field_validator("api_url")
    @classmethod
    def _check_api_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from urllib.parse import urlsplit

        value = value.strip()
        try:
            parts = urlsplit(value)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            parts, port_ok = None, False
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
            raise ValueError("must be an http(s) URL like https://slack.com/api/")
        if any(c.isspace() for c in value):
            raise ValueError("must not contain spaces")
        if "@" in parts.netloc:  # slack_sdk sends the token as a header: URL credentials can only leak
            raise ValueError("must not contain a user name or password (the token goes in SLACK_BOT_TOKEN)")
        return value


class DiscordSettings(BaseModel):
    """``DISCORD_*`` variables (or a ``[discord]`` table in settings.toml)."""

    model_config = ConfigDict(extra="forbid")

    token: str | None = Field(None, repr=False)  # DISCORD_TOKEN
    api_url: str | None = None  # DISCORD_API_URL
    gateway_url: str | None = None  # DISCORD_GATEWAY_URL
    guild_id: int | None = None  # DISCORD_GUILD_ID: register commands in one server at once
    client_id: str | None = None  # DISCORD_CLIENT_ID: for `briefbot discord invite-url`


PLATFORM_MODELS: dict[str, type[BaseModel]] = {"slack": SlackSettings, "discord": DiscordSettings}


class PlatformEnvSource(PydanticBaseSettingsSource):
    """``SLACK_BOT_TOKEN`` -> ``slack.bot_token``: each platform's conventional variable names, nested."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads every platform at once

    def __call__(self) -> dict[str, Any]:
        variables = _variables()
        found: dict[str, Any] = {}
        for platform, model in PLATFORM_MODELS.items():
            values = {
                name: variables[env]
                for name in model.model_fields
                if (env := f"{platform}_{name}".upper()) in variables and variables[env] != ""
            }
            if values:
                found[platform] = values
        return found


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=DOTENV, extra="ignore", populate_by_name=True, validate_default=True
    )

    articles_dir: Path = Field(Path("seeds"), validation_alias="BRIEFBOT_ARTICLES")
    topics_file: Path = Path("topics.toml")  # looked up in config_dirs() when relative
    digests_file: Path = Path("digests.toml")
    encoder: Literal["tfidf", "minilm"] = "tfidf"
    encoder_model: str | None = None
    polish_model: str | None = None
    cache_ttl_seconds: int = 86400
    thread_ttl_seconds: int = 7 * 86400
    briefs_per_user_per_minute: int = 10
    max_article_bytes: int = 2_000_000
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    redis_connect_timeout_seconds: float = 0.5
    # Durable embedded state (bot/store/sqlite_*.py): without REDIS_URL, state, cache and subscriptions live
    # in SQLite files here, shared by the processes of one machine. Created on first use.
    data_dir: Path = Path("data")  # BRIEFBOT_DATA_DIR
    # Prefix of every Redis key: replicas of one deployment share it, two deployments on one Redis don't.
    namespace: str = Field("briefbot", pattern=r"^[A-Za-z0-9_.-]+$")
    # Where `briefbot ingest` writes and the bot reads articles: the folder, or Redis (shared by replicas).
    article_store: Literal["folder", "redis"] = "folder"
    # Discovered topics (clusters of articles on one story) listed next to the named ones.
    discover_topics: bool = True
    http_port: int = 3000

    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()

    # Operations (bot/logging_setup.py, bot/core/workers.py)
    log_level: str = "WARNING"
    log_format: Literal["text", "json"] = "text"
    # processes that build briefs for `briefbot run` (0: worker threads in the bot's process; unset: cores - 1)
    build_processes: int | None = Field(None, ge=0, le=64)
    # how much lower the build processes' CPU priority is than the bot's (nice); the loop answers chat first
    build_niceness: int = Field(10, ge=0, le=19)

    # Digests (bot/subscriptions/, bot/scheduler.py, bot/digests.py)
    default_timezone: str = Field("UTC", validation_alias="BRIEFBOT_TIMEZONE")
    digest_grace_seconds: int = 3600  # after a restart, a digest missed by less than this is posted late, once
    digest_lock_seconds: int = 120  # a replica that dies mid-post holds the digest this long at most
    digest_sync_seconds: int = 30  # how soon a subscription made on another replica is scheduled here
    digest_post_unchanged: bool = True  # post "No new developments on TOPIC since DATE" (False: stay silent)

    # Brief pages and the operators' endpoints (bot/web/, bot/core/pages.py)
    public_url: str | None = None  # where people reach the bot's HTTP server; unset: no "Full brief" links
    link_secret: str | None = None  # HMAC key of brief links; the same on every replica
    link_ttl_seconds: int = Field(7 * 86400, gt=0)  # how long a brief link (and its stored page) lives
    http_host: str = "0.0.0.0"  # the interface the HTTP server binds

    # Chat limits, work slots and shutdown (issues 14 and 15: bot/platforms, bot/core)
    digest_min_interval: int = Field(3600, ge=0)  # seconds: shortest gap between two posts of one digest
    followups_per_minute: int = 10  # follow-up questions per user per minute
    work_slots: int = Field(2, ge=1)  # brief builds and answers at once; nothing else waits for a slot
    shutdown_seconds: float = Field(20.0, ge=0)  # SIGTERM: how long in-flight work may take before cancelled

    # Live sources (bot/sources/): feeds polled on the scheduler, the article store they feed. Each is read from
    # BRIEFBOT_<NAME IN CAPITALS>, e.g. BRIEFBOT_ALLOW_PRIVATE_SOURCES, BRIEFBOT_SOURCE_MIN_SECONDS.
    sources_file: Path = Path("sources.toml")  # looked up in config_dirs() when relative, like topics.toml
    allow_private_sources: bool = False  # fetch loopback/private/link-local hosts (tests, intranets)
    contact_url: str = "https://github.com/briefbot/briefbot"  # in the User-Agent: whom a feed's operator asks
    source_every_seconds: int = Field(1800, ge=1)  # the first interval of a source added without --every
    source_min_seconds: int = Field(300, ge=1)  # adaptive interval bounds; also the shortest --every accepted
    source_max_seconds: int = Field(6 * 3600, ge=1)
    source_unhealthy_after: int = Field(5, ge=1)  # consecutive errors before a source is marked unhealthy
    source_unhealthy_retry_seconds: int = Field(6 * 3600, ge=60)  # how often an unhealthy source is retried
    source_fetch_timeout_seconds: float = Field(20.0, gt=0, allow_inf_nan=False)
    source_connect_timeout_seconds: float = Field(5.0, gt=0, allow_inf_nan=False)
    source_max_bytes: int = Field(5_000_000, ge=1024)
    source_max_redirects: int = Field(5, ge=0, le=20)
    source_per_host: int = Field(2, ge=1)  # parallel requests to one host
    source_concurrency: int = Field(16, ge=1)  # parallel sources in one pass
    source_teasers_per_pass: int = Field(50, ge=0)  # linked pages fetched for teaser items, per source and pass
    retention_days: float = Field(30, gt=0, allow_inf_nan=False)  # older articles leave the store
    poll_tick_seconds: int = Field(60, ge=1)  # how often `briefbot run` looks for due sources
    # who may add/remove sources from chat, per platform (JSON): {"slack": ["U123"], "discord": ["42"]}
    source_admins: dict[str, list[str]] = Field(default_factory=dict)

    # Hostile input (issue 14): a malformed URL or an impossible combination is one line at start-up, naming the
    # variable and never echoing its value (it may carry a password), instead of a traceback later on.
    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from redis.connection import parse_url  # redis-py's own parser: what it accepts, we accept

        try:
            parse_url(value.strip())
        except (ValueError, TypeError) as error:
            from bot.redact import redact

            raise ValueError(
                f"not a Redis URL ({redact(error)}); use one like redis://localhost:6379/0, rediss://... or unix:///PATH"
            ) from None
        return value.strip()

    @model_validator(mode="after")
    def _check_article_store(self) -> Settings:
        if self.article_store == "redis" and not self.redis_url:
            raise ValueError("BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL (the Redis server that holds the articles)")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # first wins; TOML files from the most specific config dir to the shipped defaults
        tomls = [TomlConfigSettingsSource(settings_cls, toml_file=d / "settings.toml") for d in config_dirs()]
        return (init_settings, env_settings, PlatformEnvSource(settings_cls), dotenv_settings, *tomls)

    @classmethod
    def env_name(cls, field: str) -> str:
        """The variable an operator sets for ``field`` (``slack.api_url`` -> SLACK_API_URL), for messages."""
        platform, _, name = field.partition(".")
        if name and platform in PLATFORM_MODELS:
            return f"{platform}_{name}".upper()
        info = cls.model_fields.get(field)
        alias = info.validation_alias if info else None
        return alias if isinstance(alias, str) else f"{ENV_PREFIX}{field.upper()}"

    def resolve(self, path: Path) -> Path:
        """A relative path: as given if it exists, else in the config dirs, else in the source tree."""
        path = Path(path)
        if path.is_absolute() or path.exists():
            return path
        for candidate in [*(d / path for d in config_dirs()), PROJECT_ROOT / path]:
            if candidate.exists():
                return candidate
        return path

    def pool_processes(self) -> int:
        """Build processes for a running bot: the setting, else one per core but one (at least one)."""
        if self.build_processes is not None:
            return self.build_processes
        from summarizer.encoders import machine_cores

        return max(1, min(4, machine_cores() - 1))


def known_variables() -> set[str]:
    """Every ``BRIEFBOT_*`` name a setting is read from."""
    names = set(NOT_SETTINGS)
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"{ENV_PREFIX}{name.upper()}")
    return {n for n in names if n.startswith(ENV_PREFIX)}


def unknown_variables(variables: dict[str, str] | None = None) -> list[str]:
    """``BRIEFBOT_*`` variables (environment or ``.env``) that no setting reads, each with a likely fix."""
    variables = _variables() if variables is None else variables
    known = known_variables()
    problems = []
    for name in sorted(v for v in variables if v.upper().startswith(ENV_PREFIX) and v.upper() not in known):
        # compare without the shared prefix, or every name looks alike
        suffixes = {k.removeprefix(ENV_PREFIX): k for k in known}
        close = difflib.get_close_matches(name.upper().removeprefix(ENV_PREFIX), suffixes, n=1, cutoff=0.75)
        problems.append(f"{name} (did you mean {suffixes[close[0]]}?)" if close else name)
    return problems


def warn_unknown_variables() -> None:
    for problem in unknown_variables():
        log.warning("unknown setting %s: ignored; README 'Configuration' lists them all", problem)
