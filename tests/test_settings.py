"""Settings behave like other bots': BRIEFBOT_* (plus SLACK_*, DISCORD_*, REDIS_URL), .env, config dirs, a
warning for a misspelt variable, and defaults an installed wheel finds without the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.settings import DEFAULTS_DIR, Settings, config_dirs, known_variables, unknown_variables
from tests.conftest import ROOT, SEEDS


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No BRIEFBOT_/SLACK_/DISCORD_ variables, an empty HOME (no user config) and an empty working directory."""
    for name in list(os.environ):
        if name.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_", "REDIS_", "XDG_")) or name in (
            "NAMESPACE", "ENCODER", "HTTP_PORT", "TOPICS_FILE",
        ):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_bare_names_are_no_longer_read(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"NAMESPACE": "other", "ENCODER": "minilm", "HTTP_PORT": "9", "TOPICS_FILE": "/x"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.namespace, settings.encoder, settings.http_port) == ("briefbot", "tfidf", 3000)
    assert settings.topics_file == Path("topics.toml")


def test_briefbot_and_platform_variables_are_read(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_NAMESPACE", "team-a")
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", "4000")
    monkeypatch.setenv("BRIEFBOT_TOPICS_FILE", "/etc/briefbot/topics.toml")
    monkeypatch.setenv("BRIEFBOT_ARTICLES", "/srv/news")
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/1")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("DISCORD_GUILD_ID", "42")
    monkeypatch.setenv("DISCORD_TOKEN", "tok")
    s = Settings()
    assert (s.namespace, s.http_port, s.topics_file, s.articles_dir) == (
        "team-a", 4000, Path("/etc/briefbot/topics.toml"), Path("/srv/news")
    )
    assert (s.default_timezone, s.redis_url) == ("Europe/Berlin", "redis://cache:6379/1")
    assert (s.slack.bot_token, s.slack.app_token, s.slack.signing_secret) == ("xoxb-1", "xapp-1", None)
    assert (s.discord.guild_id, s.discord.token) == (42, "tok")
    assert "xoxb-1" not in repr(s) and "tok" not in repr(s)  # tokens stay out of reprs and logs


def test_dotenv_is_read_and_the_environment_wins(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text(
        "BRIEFBOT_NAMESPACE=from-dotenv\nBRIEFBOT_ENCODER=minilm\nSLACK_BOT_TOKEN=xoxb-dotenv\nREDIS_URL=redis://d/0\n"
    )
    monkeypatch.setenv("BRIEFBOT_ENCODER", "tfidf")
    s = Settings()
    assert (s.namespace, s.encoder, s.slack.bot_token, s.redis_url) == (
        "from-dotenv", "tfidf", "xoxb-dotenv", "redis://d/0"
    )


def test_unknown_briefbot_variable_is_named_with_a_suggestion(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_ENCODR", "minilm")
    monkeypatch.setenv("BRIEFBOT_NAMESPACE", "fine")
    (clean_env / ".env").write_text("BRIEFBOT_WHATEVER_THIS_IS=1\n")
    problems = unknown_variables()
    assert problems == ["BRIEFBOT_ENCODR (did you mean BRIEFBOT_ENCODER?)", "BRIEFBOT_WHATEVER_THIS_IS"]


def test_cli_warns_once_about_an_unknown_variable(clean_env: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env |= {"BRIEFBOT_ENCODR": "minilm", "PYTHONPATH": str(ROOT), "BRIEFBOT_ARTICLES": str(SEEDS)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "topics"], cwd=clean_env, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "BRIEFBOT_ENCODR" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0] and "BRIEFBOT_ENCODER" in warnings[0]


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :].split("\n## ", 1)[0]
    nested = {"BRIEFBOT_TEST_REDIS_URL", "BRIEFBOT_SLACK", "BRIEFBOT_DISCORD"}  # tests; SLACK_*/DISCORD_* below
    missing = sorted(n for n in known_variables() if f"`{n}`" not in table and n not in nested)
    missing += [
        f"{platform.upper()}_{field.upper()}"
        for platform in ("slack", "discord")
        for field in type(getattr(Settings(), platform)).model_fields
        if f"`{platform.upper()}_{field.upper()}`" not in table
    ]
    assert missing == []


def test_config_dirs_search_order(clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dirs = config_dirs()
    assert dirs[0] == Path("config") and dirs[1] == Path(os.environ["HOME"]) / ".config" / "briefbot"
    assert dirs[-1] == DEFAULTS_DIR
    explicit = tmp_path / "etc"
    monkeypatch.setenv("BRIEFBOT_CONFIG_DIR", str(explicit))
    assert config_dirs() == [explicit, DEFAULTS_DIR]


def test_settings_files_layer_and_topics_are_found_by_name(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # shipped defaults alone
    s = Settings()
    assert s.resolve(s.topics_file) == DEFAULTS_DIR / "topics.toml"
    assert s.cache_ttl_seconds == 86400
    # the user's config dir overrides one key and the topics file; ./config overrides it in turn
    user = Path(os.environ["HOME"]) / ".config" / "briefbot"
    user.mkdir(parents=True)
    (user / "settings.toml").write_text("cache_ttl_seconds = 60\nnamespace = \"user\"\n")
    (user / "topics.toml").write_text("[mine]\nkeywords = [\"x\"]\n")
    local = clean_env / "config"
    local.mkdir()
    (local / "settings.toml").write_text("namespace = \"local\"\n[slack]\napi_url = \"http://127.0.0.1:1/api/\"\n")
    s = Settings()
    assert (s.cache_ttl_seconds, s.namespace, s.slack.api_url) == (60, "local", "http://127.0.0.1:1/api/")
    assert s.max_article_bytes == 2_000_000  # untouched keys still come from the shipped defaults
    assert s.resolve(s.topics_file) == user / "topics.toml"
    # BRIEFBOT_CONFIG_DIR replaces both, and the environment beats every file
    explicit = clean_env / "etc"
    explicit.mkdir()
    (explicit / "settings.toml").write_text("namespace = \"explicit\"\ncache_ttl_seconds = 5\n")
    monkeypatch.setenv("BRIEFBOT_CONFIG_DIR", str(explicit))
    monkeypatch.setenv("BRIEFBOT_CACHE_TTL_SECONDS", "7")
    s = Settings()
    assert (s.namespace, s.cache_ttl_seconds) == ("explicit", 7)
    assert s.resolve(s.topics_file) == DEFAULTS_DIR / "topics.toml"


def test_a_bad_value_in_a_settings_file_is_one_clear_cli_error(clean_env: Path) -> None:
    (clean_env / "config").mkdir()
    (clean_env / "config" / "settings.toml").write_text("encoder = \"word2vec\"\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")} | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "topics"], cwd=clean_env, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "encoder" in result.stderr and "Traceback" not in result.stderr


def test_the_wheel_ships_its_default_config(tmp_path: Path) -> None:
    """Build the wheel, unpack it away from the source tree: `briefbot topics` finds the shipped topics."""
    pytest.importorskip("setuptools")
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "tests"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), "."],
        cwd=source, capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("briefbot-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "bot" / "defaults" / "settings.toml").is_file()
    work, home = tmp_path / "elsewhere", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "REDIS_", "XDG_"))}
    env |= {"PYTHONPATH": str(site), "HOME": str(home), "BRIEFBOT_ARTICLES": str(SEEDS)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "topics"], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "china-russia" in result.stdout  # a named topic from the topics.toml inside the wheel


def test_every_setting_reads_only_briefbot_or_conventional_names() -> None:
    """A field whose alias choices include its bare name would read e.g. NAMESPACE from the environment again."""
    from pydantic import AliasChoices

    wrong = []
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias] if alias else []
        for choice in choices:
            if not isinstance(choice, str) or not (choice.startswith("BRIEFBOT_") or choice == "REDIS_URL"):
                wrong.append(f"{name}: {choice}")
    assert wrong == []


def test_env_name_says_what_an_operator_sets() -> None:
    assert Settings.env_name("encoder") == "BRIEFBOT_ENCODER"
    assert Settings.env_name("articles_dir") == "BRIEFBOT_ARTICLES"
    assert Settings.env_name("redis_url") == "REDIS_URL"
    assert Settings.env_name("slack.api_url") == "SLACK_API_URL"
    assert Settings.env_name("discord.guild_id") == "DISCORD_GUILD_ID"
