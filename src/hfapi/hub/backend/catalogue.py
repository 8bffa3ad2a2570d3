"""Built-in reference data of the search side: the base tag catalogues and the metrics.

The tag catalogues served by ``/api/models-tags-by-type`` and
``/api/datasets-tags-by-type`` start from these base sets; tags of the repos present
are added to them (see :meth:`hfapi.hub.backend.search.Search.tag_catalogue`).
"""

from __future__ import annotations

from typing import Dict, List, Tuple

#: Libraries: ``(tag id, label)``.
LIBRARIES: Tuple[Tuple[str, str], ...] = (
    ("pytorch", "PyTorch"),
    ("tf", "TensorFlow"),
    ("jax", "JAX"),
    ("transformers", "Transformers"),
    ("safetensors", "Safetensors"),
    ("onnx", "ONNX"),
    ("diffusers", "Diffusers"),
    ("sentence-transformers", "sentence-transformers"),
    ("peft", "PEFT"),
    ("timm", "timm"),
    ("keras", "Keras"),
    ("adapter-transformers", "Adapter Transformers"),
    ("stable-baselines3", "Stable-Baselines3"),
    ("ml-agents", "ML-Agents"),
    ("spacy", "spaCy"),
    ("flair", "Flair"),
    ("fastai", "fastai"),
    ("sklearn", "Scikit-learn"),
    ("speechbrain", "speechbrain"),
    ("espnet", "ESPnet"),
)

#: Tasks: ``(pipeline tag, subType)``; labels are the words of the id, capitalised.
PIPELINES: Tuple[Tuple[str, str], ...] = (
    ("text-classification", "nlp"),
    ("token-classification", "nlp"),
    ("question-answering", "nlp"),
    ("fill-mask", "nlp"),
    ("summarization", "nlp"),
    ("translation", "nlp"),
    ("text-generation", "nlp"),
    ("text2text-generation", "nlp"),
    ("zero-shot-classification", "nlp"),
    ("sentence-similarity", "nlp"),
    ("feature-extraction", "multimodal"),
    ("image-classification", "cv"),
    ("object-detection", "cv"),
    ("image-segmentation", "cv"),
    ("text-to-image", "multimodal"),
    ("image-to-text", "multimodal"),
    ("automatic-speech-recognition", "audio"),
    ("audio-classification", "audio"),
    ("text-to-speech", "audio"),
    ("reinforcement-learning", "rl"),
    ("tabular-classification", "tabular"),
    ("tabular-regression", "tabular"),
)

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "zh", "ja", "ko", "ar", "hi")
LICENSES = (
    "apache-2.0",
    "mit",
    "bsd-3-clause",
    "gpl-3.0",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc0-1.0",
    "openrail",
    "other",
)
MODEL_DATASETS = ("wikipedia", "bookcorpus", "glue", "squad", "imagenet-1k", "common_voice")
TASK_IDS = (
    "extractive-qa",
    "natural-language-inference",
    "sentiment-classification",
    "multi-class-classification",
    "named-entity-recognition",
    "language-modeling",
)
SIZE_CATEGORIES = ("n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "n>1T")
BENCHMARKS = ("raft", "glue", "superglue", "gem")

#: The groups of each catalogue, in the order they are served. Datasets have no
#: ``language_creators`` or ``multilinguality`` group: the Hub's catalogue has none.
MODEL_GROUPS = ("library", "pipeline_tag", "language", "license", "dataset")
DATASET_GROUPS = (
    "task_categories",
    "task_ids",
    "size_categories",
    "benchmark",
    "language",
    "license",
)


def task_label(task: str) -> str:
    """``text-classification`` -> ``Text Classification``."""
    return " ".join(word.capitalize() for word in task.split("-"))


def base_model_tags() -> Dict[str, Dict[str, Dict[str, str]]]:
    """The built-in model catalogue: ``{group: {tag id: entry}}``."""
    groups: Dict[str, Dict[str, Dict[str, str]]] = {name: {} for name in MODEL_GROUPS}
    for tag, label in LIBRARIES:
        groups["library"][tag] = {"id": tag, "label": label, "type": "library"}
    for task, sub_type in PIPELINES:
        groups["pipeline_tag"][task] = {
            "id": task,
            "label": task_label(task),
            "type": "pipeline_tag",
            "subType": sub_type,
        }
    for code in LANGUAGES:
        groups["language"][code] = {"id": code, "label": code, "type": "language"}
    for name in LICENSES:
        groups["license"][f"license:{name}"] = model_entry("license", name)
    for name in MODEL_DATASETS:
        groups["dataset"][f"dataset:{name}"] = model_entry("dataset", name)
    return groups


def model_entry(group: str, value: str) -> Dict[str, str]:
    """A catalogue entry of a prefixed model group (``license``, ``dataset``)."""
    return {"id": f"{group}:{value}", "label": value, "type": group}


def base_dataset_tags() -> Dict[str, Dict[str, Dict[str, str]]]:
    """The built-in dataset catalogue: ``{group: {tag id: entry}}``."""
    values: Dict[str, Tuple[str, ...]] = {
        "task_categories": tuple(task for task, _ in PIPELINES),
        "task_ids": TASK_IDS,
        "size_categories": SIZE_CATEGORIES,
        "benchmark": BENCHMARKS,
        "language": LANGUAGES,
        "license": LICENSES,
    }
    return {
        group: {f"{group}:{value}": dataset_entry(group, value) for value in values[group]}
        for group in DATASET_GROUPS
    }


def dataset_entry(group: str, value: str) -> Dict[str, str]:
    """A dataset catalogue entry: the id carries the group as prefix."""
    label = task_label(value) if group == "task_categories" else value
    return {"id": f"{group}:{value}", "label": label, "type": group}


_CITATION = "@misc{{{key},\n  title = {{{title}}},\n  note = {{Local Hub metric card}}\n}}"

_METRICS: Tuple[Tuple[str, str], ...] = (
    ("accuracy", "Share of predictions equal to their reference label."),
    ("precision", "Of the items predicted positive, the share that really are."),
    ("recall", "Of the items really positive, the share that were found."),
    ("f1", "Harmonic mean of precision and recall."),
    ("exact_match", "Share of predictions identical to a reference string."),
    ("squad", "Exact match and F1 over answer spans, as in the SQuAD benchmark."),
    ("glue", "The score of each GLUE task (accuracy, F1 or correlation)."),
    ("bleu", "N-gram overlap between a translation and its references, with a length penalty."),
    ("sacrebleu", "BLEU computed with standard tokenisation so that scores compare."),
    ("rouge", "Overlap of n-grams and longest common subsequences, for summaries."),
    ("meteor", "Translation score from aligned unigrams, stems and synonyms."),
    ("wer", "Word error rate: word edits needed to turn a transcript into its reference."),
    ("cer", "Character error rate: like WER, counted over characters."),
    ("perplexity", "How surprised a language model is by a text (lower is better)."),
    ("mse", "Mean of the squared differences between predictions and references."),
    ("mae", "Mean of the absolute differences between predictions and references."),
    ("matthews_correlation", "Correlation between predicted and true binary labels."),
    ("pearsonr", "Linear correlation between predicted and reference scores."),
    ("spearmanr", "Rank correlation between predicted and reference scores."),
    ("roc_auc", "Area under the receiver operating characteristic curve."),
)


def metrics() -> List[Dict[str, str]]:
    """The metrics served by ``/api/metrics``: ``id``, ``description``, ``citation``, ``key``."""
    return [
        {
            "id": name,
            "description": text,
            "citation": _CITATION.format(key=name, title=name.replace("_", " ")),
            "key": "",
        }
        for name, text in _METRICS
    ]
