"""Abstractive polish: off by default, a real seq2seq load-and-generate path, and the support check."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.models import Brief, Coverage, Point, Source
from summarizer.polish import (
    Polisher,
    apply_rewrite,
    brief_sources,
    get_polisher,
    is_supported,
    select_supported,
    support,
)

LEAD = "Engineer Marta Quill said the Kestrel Bay bridge reopened on March 3 after eleven months of repairs."
POINTS = [
    "Crews replaced 412 steel cables on the bridge during the works.",
    "Traffic on the bridge was heavy all day.",
]
SOURCES = [LEAD, *POINTS]

# Words a random model can emit that appear nowhere in the sources: its output cannot pass the check.
FOREIGN = [
    "zebra", "quantum", "volcano", "saxophone", "glacier", "tulip", "nebula", "harpoon", "lantern", "meteor",
    "cactus", "orchid", "falcon", "velvet", "comet", "jungle", "walrus", "puzzle", "canyon", "biscuit",
]


def make_brief(lead: str = LEAD) -> Brief:
    return Brief(
        topic="bridge", title="Bridge", summary=lead,
        points=tuple(Point(p, ("a",), 1) for p in POINTS),
        sources=(Source("a", "Bridge reopens"),), coverage=Coverage(1, 3, 0),
    )


def test_support_counts_content_words_found_in_the_sources() -> None:
    assert support("The bridge reopened on March 3.", SOURCES) == 1.0
    assert support("The bridge collapsed on March 3.", SOURCES) < 0.9
    assert support("The the of and.", SOURCES) == 0.0  # no content at all is no support
    assert not is_supported("Crews replaced 500 steel cables.", SOURCES)  # a changed number is unsupported


def test_select_keeps_supported_sentences_and_drops_invented_ones() -> None:
    rewrite = ("The Kestrel Bay bridge reopened on March 3 after eleven months of repairs. "
               "The mayor blamed the delay on a strike.")
    result = select_supported(rewrite, LEAD, SOURCES)
    assert result.accepted
    assert result.text == "The Kestrel Bay bridge reopened on March 3 after eleven months of repairs."
    assert result.rejected == ("The mayor blamed the delay on a strike.",)


def test_select_falls_back_to_the_original_when_nothing_is_supported() -> None:
    result = select_supported("A volcano erupted near the glacier.", LEAD, SOURCES)
    assert not result.accepted
    assert result.text == LEAD


def test_polish_is_off_by_default() -> None:
    assert get_polisher(None) is None
    assert get_polisher("  ") is None


def build_tiny_t5(folder: Path) -> None:
    """A randomly initialised 1-layer T5 and a word-level tokenizer, saved like a real model folder."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2}
    for word in FOREIGN:
        vocab.setdefault(word, len(vocab))
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    config = T5Config(
        vocab_size=len(vocab), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_decoder_layers=1, num_heads=2,
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
    )
    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.mark.ml
def test_tiny_model_generates_and_its_gibberish_is_rejected(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    build_tiny_t5(tmp_path / "tiny-t5")
    polisher = get_polisher(tmp_path / "tiny-t5", max_new_tokens=8, generation={"min_new_tokens": 4})
    assert isinstance(polisher, Polisher)
    result = polisher.rewrite(LEAD, SOURCES)
    words = result.generated.split()
    assert len(words) >= 4 and set(words) <= set(FOREIGN)  # the model really ran and wrote its own words
    assert not result.accepted
    assert result.text == LEAD
    brief = make_brief()
    assert polisher.polish_brief(brief) == brief  # the brief keeps its original lead


@pytest.mark.ml
def test_missing_polish_model_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from summarizer.encoders import EncoderUnavailable

    with pytest.raises(EncoderUnavailable, match="polish model folder"):
        get_polisher(tmp_path / "nowhere")


def test_supported_rewrite_replaces_the_lead_and_nothing_else() -> None:
    brief = make_brief()
    result = select_supported("Marta Quill said the bridge reopened on March 3.", brief.summary, brief_sources(brief))
    polished = apply_rewrite(brief, result)
    assert polished.summary == "Marta Quill said the bridge reopened on March 3."
    assert polished.points == brief.points and polished.sources == brief.sources
    rejected = select_supported("Marta Quill said the bridge will close in June.", brief.summary, brief_sources(brief))
    assert apply_rewrite(brief, rejected) == brief
