"""The shared build pool: briefs and answers computed in worker processes equal the in-thread ones, the
engine crosses as its spec (one engine per process), and cache keys name the engine actually built."""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

import pytest

from bot.app import Briefbot
from bot.core.engine import EngineSpec, SummarizerEngine, engine_for
from bot.core.workers import WorkerPool
from summarizer.encoders import reset_warnings
from tests.conftest import SEEDS


def worker_pid() -> int:
    return os.getpid()


async def test_pool_builds_the_same_brief_and_answer_as_a_thread(
    settings_factory, seeds_dir: Path, tmp_path: Path
) -> None:
    # each bot its own (empty) cache, so the pooled one really computes
    async with Briefbot(settings_factory(articles_dir=seeds_dir, data_dir=tmp_path / "a")) as threaded:
        expected = await threaded.service.brief("china-russia")
        expected_answer = await threaded.service.answer("Who is the national security adviser?", expected.article_ids)
    async with Briefbot(settings_factory(articles_dir=seeds_dir, data_dir=tmp_path / "b"), processes=1) as pooled:
        assert pooled.pool is not None
        await pooled.pool.run(worker_pid)  # the pool is up
        assert await pooled.pool.run(worker_pid) != os.getpid()  # work really leaves this process
        got = await pooled.service.brief("china-russia")
        answer = await pooled.service.answer("Who is the national security adviser?", got.article_ids)
    assert got.brief == expected.brief and got.brief_id == expected.brief_id and not got.cached
    assert answer == expected_answer


def test_an_engine_pickles_as_its_spec_and_is_one_per_process() -> None:
    spec = EngineSpec("tfidf", None, None)
    engine = SummarizerEngine(spec=spec)
    copy = pickle.loads(pickle.dumps(engine.build))  # what the pool sends: the bound method
    assert copy.__self__ is engine_for(spec)
    assert pickle.loads(pickle.dumps(engine)) is engine_for(spec)


async def test_a_pool_broken_by_a_killed_worker_is_replaced() -> None:
    pool = WorkerPool(1)
    try:
        first = await pool.run(worker_pid)
        os.kill(first, 9)
        second = await pool.run(worker_pid)  # BrokenProcessPool inside: a new pool, the call retried once
        assert second != first
    finally:
        pool.close()


def worker_niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="Unix priority")
async def test_pool_workers_run_at_a_lower_priority_than_the_bot() -> None:
    """Builds are batch work: on a busy core the bot's loop (Slack's 3 s ack, Discord's heartbeat) must win."""
    lowered, same = WorkerPool(1, niceness=5), WorkerPool(1)
    try:
        assert await lowered.run(worker_niceness) == min(19, os.nice(0) + 5)
        assert await same.run(worker_niceness) == os.nice(0)
    finally:
        lowered.close()
        same.close()


def test_pool_needs_a_process() -> None:
    with pytest.raises(ValueError):
        WorkerPool(0)


def test_cache_key_names_the_encoder_actually_built(
    settings_factory, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """minilm that falls back to tfidf (here: a model folder that does not exist) must key as tfidf."""
    reset_warnings()
    missing = str(tmp_path / "no-such-model")
    with caplog.at_level(logging.WARNING, logger="summarizer.encoders"):
        fallen = Briefbot(settings_factory(encoder="minilm", encoder_model=missing))
        plain = Briefbot(settings_factory(encoder="tfidf"))
        assert fallen.service.engine_tag() == plain.service.engine_tag() == "tfidf:"
        assert fallen.engine.effective_spec().encoder == "tfidf"
        pickle.dumps(fallen.engine.build)  # sending it to a worker does not warn again
        fallen.service.engine_tag()
    assert len([r for r in caplog.records if "using tfidf" in r.getMessage()]) == 1


async def test_fallen_back_engine_shares_the_tfidf_cache_entry(settings_factory, tmp_path: Path) -> None:
    async with Briefbot(settings_factory(articles_dir=SEEDS)) as plain:
        key = (await plain.service.brief("china-russia")).brief_id
    settings = settings_factory(articles_dir=SEEDS, encoder="minilm", encoder_model=str(tmp_path / "none"))
    async with Briefbot(settings) as fallen:
        assert (await fallen.service.brief("china-russia")).brief_id == key


async def test_a_focused_brief_goes_through_the_pool_too(settings_factory, seeds_dir: Path, tmp_path: Path) -> None:
    question = "What did Russia ask China for?"
    async with Briefbot(settings_factory(articles_dir=seeds_dir, data_dir=tmp_path / "a")) as threaded:
        expected = await threaded.service.brief("china-russia", focus=question)
    async with Briefbot(settings_factory(articles_dir=seeds_dir, data_dir=tmp_path / "b"), processes=1) as pooled:
        got = await pooled.service.brief("china-russia", focus=question)
    assert not got.cached and got.brief == expected.brief and got.brief_id == expected.brief_id
