"""Settings: the only reader of environment variables (and of config/settings.toml).

Everything else receives a ``Settings`` object, so tests build one explicitly instead of patching the
environment, and a typo in a variable name fails in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _settings_file() -> Path:
    """config/settings.toml next to the current directory, else the one in the source tree."""
    local = Path("config/settings.toml")
    return local if local.exists() else PROJECT_ROOT / "config" / "settings.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    articles_dir: Path = Field(
        Path("seeds"), validation_alias=AliasChoices("BRIEFBOT_ARTICLES", "articles_dir")
    )
    topics_file: Path = Path("config/topics.toml")
    digests_file: Path = Path("config/digests.toml")
    encoder: Literal["tfidf", "minilm"] = Field(
        "tfidf", validation_alias=AliasChoices("BRIEFBOT_ENCODER", "encoder")
    )
    encoder_model: str | None = Field(
        None, validation_alias=AliasChoices("BRIEFBOT_ENCODER_MODEL", "encoder_model")
    )
    polish_model: str | None = Field(
        None, validation_alias=AliasChoices("BRIEFBOT_POLISH_MODEL", "polish_model")
    )
    cache_ttl_seconds: int = 86400
    thread_ttl_seconds: int = 7 * 86400
    briefs_per_user_per_minute: int = 10
    max_article_bytes: int = 2_000_000
    redis_url: str | None = Field(None, validation_alias=AliasChoices("REDIS_URL", "redis_url"))
    redis_connect_timeout_seconds: float = 0.5
    # Durable embedded state (bot/store/sqlite_*.py): without REDIS_URL, state, cache and subscriptions live
    # in SQLite files here, shared by the processes of one machine. Created on first use.
    data_dir: Path = Field(Path("data"), validation_alias=AliasChoices("BRIEFBOT_DATA_DIR", "data_dir"))
    # Prefix of every Redis key: replicas of one deployment share it, two deployments on one Redis don't.
    namespace: str = Field(
        "briefbot", pattern=r"^[A-Za-z0-9_.-]+$", validation_alias=AliasChoices("BRIEFBOT_NAMESPACE", "namespace")
    )
    # Where `briefbot ingest` writes and the bot reads articles: the folder, or Redis (shared by replicas).
    article_store: Literal["folder", "redis"] = Field(
        "folder", validation_alias=AliasChoices("BRIEFBOT_ARTICLE_STORE", "article_store")
    )
    # Discovered topics (clusters of articles on one story) listed next to the named ones.
    discover_topics: bool = Field(True, validation_alias=AliasChoices("BRIEFBOT_DISCOVER_TOPICS", "discover_topics"))
    http_port: int = Field(3000, validation_alias=AliasChoices("BRIEFBOT_HTTP_PORT", "http_port"))

    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, validation_alias="SLACK_API_URL")

    discord_token: str | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_api_url: str | None = Field(None, validation_alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, validation_alias="DISCORD_GATEWAY_URL")
    discord_guild_id: int | None = Field(None, validation_alias="DISCORD_GUILD_ID")
    discord_client_id: str | None = Field(None, validation_alias="DISCORD_CLIENT_ID")

    log_level: str = Field("WARNING", validation_alias=AliasChoices("BRIEFBOT_LOG_LEVEL", "log_level"))

    # Digests (bot/subscriptions.py, bot/scheduler.py, bot/digests.py)
    default_timezone: str = Field("UTC", validation_alias=AliasChoices("BRIEFBOT_TIMEZONE", "default_timezone"))
    digest_grace_seconds: int = 3600  # after a restart, a digest missed by less than this is posted late, once
    digest_lock_seconds: int = 120  # a replica that dies mid-post holds the digest this long at most
    digest_sync_seconds: int = 30  # how soon a subscription made on another replica is scheduled here
    digest_post_unchanged: bool = True  # post "No new developments on TOPIC since DATE" (False: stay silent)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_settings_file())
        return (init_settings, env_settings, toml)

    def resolve(self, path: Path) -> Path:
        """A relative config path is looked up in the current directory, then in the source tree."""
        if path.is_absolute() or path.exists():
            return path
        candidate = PROJECT_ROOT / path
        return candidate if candidate.exists() else path
