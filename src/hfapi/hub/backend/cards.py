"""Card data: what the Hub derives from a repo's files on its main branch.

On every commit to ``main`` the README's metadata block (see :mod:`.cardyaml`), the
top-level ``config.json`` and the file names give a repo its ``cardData``, ``config``,
``tags``, ``pipeline_tag`` and ``library_name``. They are computed once, at commit time,
and kept in the ``repo_cards`` table (one row per repo) with a ``repo_tags`` index (``kind``
= ``tag``, ``model``, ``dataset`` or ``language``), so that listings never read git objects.

A row whose ``sha`` is not the current head of ``main`` (a pull request merged, or a repo
created without files) is recomputed by :meth:`Cards.refresh_stale` before a listing.

How tags are derived (the Hub's order):

* models: ``library_name``, framework tags from weight files (``pytorch``, ``tf``,
  ``jax``, ``safetensors``, ``onnx``), ``config.json``'s ``model_type``, the
  ``pipeline_tag``, the card's ``tags``, its languages (bare codes), ``dataset:<x>``
  for each of its ``datasets``, ``license:<x>``; plus ``model-index`` and
  ``co2_eq_emissions`` when the card has those keys;
* datasets: ``<key>:<value>`` for the card's ``task_categories``, ``task_ids``,
  ``annotations_creators``, ``language_creators``, ``multilinguality``,
  ``size_categories``, ``source_datasets``, ``benchmark``, ``language`` and ``license``,
  then its ``tags``;
* spaces: the SDK, then the card's ``tags``; the card's ``models`` and ``datasets``
  become the Space's ``models`` / ``datasets`` lists.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..storage import Storage
from . import timefmt
from .cardyaml import parse_card_metadata
from .gitstore import GitStore
from .repos import Repo

#: Tables owned by this module (emptied by a reset).
TABLES = ("repo_cards", "repo_tags")

_DDL = (
    """CREATE TABLE repo_cards (
    repo INTEGER PRIMARY KEY, sha TEXT NOT NULL, last_modified TEXT NOT NULL,
    card TEXT NOT NULL, config TEXT, tags TEXT NOT NULL, pipeline_tag TEXT,
    library_name TEXT, siblings TEXT NOT NULL, extra TEXT NOT NULL)""",
    """CREATE TABLE repo_tags (
    repo INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (repo, kind, value))""",
    "CREATE INDEX repo_tags_value ON repo_tags (kind, value, repo)",
    "CREATE INDEX repo_cards_modified ON repo_cards (last_modified)",
)

#: Keys of ``config.json`` that listings and info show (the Hub shows a reduced config).
_CONFIG_KEYS = ("architectures", "model_type", "auto_map", "task_specific_params")
#: Weight files and the framework tag they give a model.
_FRAMEWORK_FILES = tuple(
    (tag, re.compile(pattern))
    for tag, pattern in (
        ("pytorch", r"pytorch_model(-.+)?\.bin"),
        ("tf", r"tf_model\.h5"),
        ("jax", r"flax_model\.msgpack"),
        ("safetensors", r".+\.safetensors"),
        ("onnx", r".+\.onnx"),
    )
)
#: Architecture suffixes of transformers models and the pipeline they serve.
_ARCHITECTURE_PIPELINES = (
    ("ForSequenceClassification", "text-classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForQuestionAnswering", "question-answering"),
    ("ForMaskedLM", "fill-mask"),
    ("ForCausalLM", "text-generation"),
    ("LMHeadModel", "text-generation"),
    ("ForConditionalGeneration", "text2text-generation"),
    ("ForImageClassification", "image-classification"),
    ("ForObjectDetection", "object-detection"),
    ("ForAudioClassification", "audio-classification"),
    ("ForCTC", "automatic-speech-recognition"),
)
#: Card keys whose values become ``key:value`` tags of a dataset, in the Hub's order.
DATASET_TAG_KEYS = (
    "task_categories",
    "task_ids",
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "benchmark",
    "language",
    "license",
)


@dataclasses.dataclass(frozen=True)
class CardData:
    """What a repo's main branch says about it.

    Attributes:
        card: the README metadata (``{}`` without any, or when it is not valid YAML).
        config: the reduced ``config.json`` (models only), ``None`` without one.
        tags: the derived tags, in the Hub's order, without duplicates.
        pipeline_tag: the task (models), declared or inferred from the architecture.
        library_name: the library (models), declared or ``transformers`` with a config.
        models: models a Space uses (its card's ``models``).
        datasets: datasets a Space uses (its card's ``datasets``).
        languages: the card's languages (models; datasets have ``language:`` tags).
    """

    card: Dict[str, Any]
    config: Optional[Dict[str, Any]]
    tags: List[str]
    pipeline_tag: Optional[str] = None
    library_name: Optional[str] = None
    models: List[str] = dataclasses.field(default_factory=list)
    datasets: List[str] = dataclasses.field(default_factory=list)
    languages: List[str] = dataclasses.field(default_factory=list)


def migrate_cards(db: Any) -> None:
    """Create the card tables (a step of ``schema.MIGRATIONS``)."""
    for statement in _DDL:
        db.execute(statement)


def _strings(value: Any) -> List[str]:
    """A card value that may be one string or a list of them, as a list of strings."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int, float))]
    return []


def _reduced_config(raw: Optional[bytes]) -> Optional[Dict[str, Any]]:
    if raw is None:
        return None
    try:
        value = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return {key: value[key] for key in _CONFIG_KEYS if key in value}


def _inferred_pipeline(config: Optional[Dict[str, Any]]) -> Optional[str]:
    architectures = (config or {}).get("architectures")
    for architecture in architectures if isinstance(architectures, list) else []:
        for suffix, task in _ARCHITECTURE_PIPELINES:
            if isinstance(architecture, str) and architecture.endswith(suffix):
                return task
    return None


def _single(card: Dict[str, Any], key: str) -> Optional[str]:
    value = card.get(key)
    return value if isinstance(value, str) and value else None


def derive(
    repo_type: str,
    sdk: Optional[str],
    paths: Iterable[str],
    readme: Optional[bytes],
    config_json: Optional[bytes],
) -> CardData:
    """Derive a repo's card data from its README, ``config.json`` and file names."""
    card = parse_card_metadata(readme) if readme is not None else {}
    if repo_type == "dataset":
        tags = [f"{key}:{v}" for key in DATASET_TAG_KEYS for v in _strings(card.get(key))]
        return CardData(card, None, _unique(tags + _strings(card.get("tags"))))
    if repo_type == "space":
        tags = ([sdk] if sdk else []) + _strings(card.get("tags"))
        models, datasets = _strings(card.get("models")), _strings(card.get("datasets"))
        return CardData(card, None, _unique(tags), models=models, datasets=datasets)
    config = _reduced_config(config_json)
    library = _single(card, "library_name") or ("transformers" if config is not None else None)
    pipeline = _single(card, "pipeline_tag") or (
        _inferred_pipeline(config) if library == "transformers" else None
    )
    top_level = [p for p in paths if "/" not in p]
    tags = [library] if library else []
    tags += [tag for tag, rule in _FRAMEWORK_FILES if any(rule.fullmatch(p) for p in top_level)]
    model_type = (config or {}).get("model_type")
    tags += [model_type] if isinstance(model_type, str) and model_type else []
    tags += [pipeline] if pipeline else []
    tags += _strings(card.get("tags")) + _strings(card.get("language"))
    tags += [f"dataset:{name}" for name in _strings(card.get("datasets"))]
    tags += [f"license:{name}" for name in _strings(card.get("license"))]
    tags += [key for key in ("model-index", "co2_eq_emissions") if card.get(key)]
    languages = _strings(card.get("language"))
    return CardData(card, config, _unique(tags), pipeline, library, languages=languages)


def _unique(values: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(v for v in values if v))


class Cards:
    """The stored card data of every repo's main branch."""

    def __init__(self, storage: Storage, git: GitStore) -> None:
        self.storage = storage
        self.git = git

    def _read(self, files: Dict[str, str], path: str) -> Optional[bytes]:
        blob = files.get(path)
        if blob is None:
            return None
        with self.storage.open_content("git", blob) as handle:
            return handle.read(1024 * 1024)  # card data lives at the top; never load more

    def compute(self, repo_type: str, sdk: Optional[str], files: Dict[str, str]) -> CardData:
        """Derive the card data of a snapshot's ``{path: blob id}``."""
        readme = self._read(files, "README.md")
        config = self._read(files, "config.json") if repo_type == "model" else None
        return derive(repo_type, sdk, files, readme, config)

    def record(
        self,
        db: Any,
        repo: Repo,
        commit: str,
        timestamp: str,
        files: Dict[str, str],
    ) -> CardData:
        """Store the card data of commit ``commit`` (the new head of ``main``) of ``repo``.

        Runs inside the committing transaction, so the row changes with the branch.
        """
        data = self.compute(repo.type, repo.sdk, files)
        self.store(db, repo.pk, commit, timestamp, sorted(files), data)
        return data

    @staticmethod
    def store(
        db: Any, pk: int, commit: str, timestamp: str, paths: List[str], data: CardData
    ) -> None:
        """Write one repo's row and tag index (replacing the previous ones)."""
        extra = {"models": data.models, "datasets": data.datasets, "languages": data.languages}
        db.execute(
            "INSERT OR REPLACE INTO repo_cards (repo, sha, last_modified, card, config, tags,"
            " pipeline_tag, library_name, siblings, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pk,
                commit,
                timestamp,
                json.dumps(data.card),
                None if data.config is None else json.dumps(data.config),
                json.dumps(data.tags),
                data.pipeline_tag,
                data.library_name,
                json.dumps(paths),
                json.dumps(extra),
            ),
        )
        db.execute("DELETE FROM repo_tags WHERE repo = ?", (pk,))
        index = [("tag", tag) for tag in data.tags]
        index += [("model", name) for name in data.models]
        index += [("dataset", name) for name in data.datasets]
        index += [("language", code) for code in data.languages]
        db.executemany(
            "INSERT OR IGNORE INTO repo_tags (repo, kind, value) VALUES (?, ?, ?)",
            [(pk, kind, value) for kind, value in index],
        )

    def stored(self, pk: int, commit: str) -> Optional[CardData]:
        """The stored card data of ``pk`` if it was computed for ``commit``."""
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT card, config, tags, pipeline_tag, library_name, extra FROM repo_cards"
                " WHERE repo = ? AND sha = ?",
                (pk, commit),
            ).fetchone()
        return None if row is None else card_from_row(row)

    def stale(self, db: Any, repo_type: Optional[str] = None) -> List[Tuple[int, str]]:
        """``(repo pk, head of main)`` of repos whose stored row is missing or outdated."""
        query = (
            "SELECT r.id, f.target FROM repos r"
            " JOIN refs f ON f.repo = r.id AND f.name = 'refs/heads/main'"
            " LEFT JOIN repo_cards c ON c.repo = r.id"
            " WHERE (c.sha IS NULL OR c.sha != f.target)"
        )
        params: Tuple[str, ...] = ()
        if repo_type is not None:
            query += " AND r.type = ?"
            params = (repo_type,)
        return [(int(pk), str(target)) for pk, target in db.execute(query, params).fetchall()]

    def on_commit(self, db: Any, repo: Repo, ref: str, commit: str, files: Dict[str, str]) -> None:
        """Keep main's card data current (a ``Commits.hooks`` hook)."""
        if ref == "refs/heads/main":
            stamp = timefmt.format_epoch(self.git.commit(commit).timestamp)
            self.record(db, repo, commit, stamp, files)

    def forget_repo(self, db: Any, pk: int) -> None:
        """Drop a deleted repo's rows (a ``Repos.delete_hooks`` hook)."""
        db.execute("DELETE FROM repo_cards WHERE repo = ?", (pk,))
        db.execute("DELETE FROM repo_tags WHERE repo = ?", (pk,))


def card_from_row(row: Sequence[Any]) -> CardData:
    """Rebuild :class:`CardData` from ``(card, config, tags, pipeline, library, extra)``."""
    card, config, tags, pipeline, library, extra = row
    more = json.loads(extra)
    return CardData(
        json.loads(card),
        None if config is None else json.loads(config),
        json.loads(tags),
        pipeline,
        library,
        more.get("models", []),
        more.get("datasets", []),
        more.get("languages", []),
    )
