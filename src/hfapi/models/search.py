"""Search and listing data: the filter classes, tag catalogues and metrics.

The filter classes only describe a search; :func:`model_filter_query` and
:func:`dataset_filter_query` turn them into the query parameters the Hub's listing
endpoints understand. The tag catalogues are dictionaries whose keys can also be read
as attributes, so that an interactive shell completes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

from ._fields import Field, HubObject

#: A filter field: one value, several values, or nothing.
Values = Union[List[str], str, None]


# ---------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------


@dataclass
class ModelFilter:
    """What to look for with :meth:`hfapi.HfApi.list_models`, field by field.

    Every field is optional; a field holding a list matches models having all of its
    values. Capitalisation is kept as given (the Hub's tags are lower-case).

    Args:
        author (`str`, *optional*): owner of the models (user or organisation).
        library (`str` or `List[str]`, *optional*): libraries, e.g. ``"pytorch"``.
        language (`str` or `List[str]`, *optional*): languages, e.g. ``"en"``.
        model_name (`str`, *optional*): part of the model's name, e.g. ``"bert"``.
        task (`str` or `List[str]`, *optional*): tasks, e.g. ``"fill-mask"``.
        trained_dataset (`str` or `List[str]`, *optional*): datasets the models were
            trained on (``"squad"`` and ``"dataset:squad"`` mean the same).
        tags (`str` or `List[str]`, *optional*): other tags, e.g. ``"benchmark:raft"``.

    Example:
        >>> list(list_models(filter=ModelFilter(author="google", task="fill-mask")))
    """

    author: Optional[str] = None
    library: Values = None
    language: Values = None
    model_name: Optional[str] = None
    task: Values = None
    trained_dataset: Values = None
    tags: Values = None


@dataclass
class DatasetFilter:
    """What to look for with :meth:`hfapi.HfApi.list_datasets`, field by field.

    Each tag field accepts bare values (``"en"``) or the Hub's prefixed form
    (``"language:en"``); a list matches datasets having all of its values.

    Args:
        author (`str`, *optional*): owner of the datasets (user or organisation).
        benchmark (`str` or `List[str]`, *optional*): official benchmarks, e.g. ``"raft"``.
        dataset_name (`str`, *optional*): part of the dataset's name.
        language_creators (`str` or `List[str]`, *optional*): how the text was made,
            e.g. ``"crowdsourced"``.
        language (`str` or `List[str]`, *optional*): languages, e.g. ``"en"``.
        multilinguality (`str` or `List[str]`, *optional*): e.g. ``"multilingual"``.
        size_categories (`str` or `List[str]`, *optional*): e.g. ``"100K<n<1M"``.
        task_categories (`str` or `List[str]`, *optional*): e.g. ``"text-classification"``.
        task_ids (`str` or `List[str]`, *optional*): e.g. ``"extractive-qa"``.

    Example:
        >>> list(list_datasets(filter=DatasetFilter(language="ru", task_ids="language-modeling")))
    """

    author: Optional[str] = None
    benchmark: Values = None
    dataset_name: Optional[str] = None
    language_creators: Values = None
    language: Values = None
    multilinguality: Values = None
    size_categories: Values = None
    task_categories: Values = None
    task_ids: Values = None


#: The tag fields of a ``DatasetFilter``, in the order their values are sent.
_DATASET_TAG_FIELDS = (
    "benchmark",
    "language_creators",
    "language",
    "multilinguality",
    "size_categories",
    "task_categories",
    "task_ids",
)


def _values(value: Any, name: str) -> List[str]:
    """One string or an iterable of strings as a list (``None``: empty).

    Raises:
        TypeError: something else, or an item that is not a string.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bytes, dict)) or not isinstance(value, Iterable):
        raise TypeError(f"`{name}` must be a string or a list of strings, not {value!r}.")
    values = list(value)
    for item in values:
        if not isinstance(item, str):
            raise TypeError(f"`{name}` must hold strings only, got {item!r}.")
    return values


def _prefixed(values: List[str], prefix: str) -> List[str]:
    """Add the Hub's tag prefix to the values that do not already carry it."""
    return [value if prefix in value else prefix + value for value in values]


def _search(author: Optional[str], name: Optional[str]) -> str:
    # ``author/`` then the name: the Hub's search matches the start of the repo id.
    return (f"{author}/" if author is not None else "") + (name if name is not None else "")


def model_filter_query(model_filter: ModelFilter) -> Dict[str, Any]:
    """The query parameters of a :class:`ModelFilter` (``search``, ``tags``, ``filter``).

    The filter object is not modified.

    Raises:
        TypeError: a field is neither a string nor a list of strings.

    Example:
        >>> model_filter_query(ModelFilter(author="google", trained_dataset="squad"))
        {'search': 'google/', 'filter': ['dataset:squad']}
    """
    f = model_filter
    query: Dict[str, Any] = {"search": _search(f.author, f.model_name)}
    if f.tags:
        query["tags"] = _values(f.tags, "tags")
    filters = _values(f.task, "task")
    filters += _prefixed(_values(f.trained_dataset, "trained_dataset"), "dataset:")
    if f.library:
        filters += _values(f.library, "library")
    filters += _values(f.language, "language")
    if filters:
        query["filter"] = filters
    return query


def dataset_filter_query(dataset_filter: DatasetFilter) -> Dict[str, Any]:
    """The query parameters of a :class:`DatasetFilter` (``search`` and ``filter``).

    Raises:
        TypeError: a field is neither a string nor a list of strings.

    Example:
        >>> dataset_filter_query(DatasetFilter(language=["en", "language:fr"]))
        {'search': '', 'filter': ['language:en', 'language:fr']}
    """
    query: Dict[str, Any] = {"search": _search(dataset_filter.author, dataset_filter.dataset_name)}
    filters: List[str] = []
    for name in _DATASET_TAG_FIELDS:
        filters += _prefixed(_values(getattr(dataset_filter, name), name), f"{name}:")
    if filters:
        query["filter"] = filters
    return query


# ---------------------------------------------------------------------------------------
# Dictionaries read as namespaces
# ---------------------------------------------------------------------------------------


def _completable(key: str) -> bool:
    """Whether ``key`` is offered for completion: letters and underscores only."""
    return key.replace("_", "").isalpha()


def clean_label(label: str) -> str:
    """A tag label as an attribute name: spaces removed, ``-`` and ``.`` become ``_``.

    Example:
        >>> clean_label("Stable-Baselines3")
        'Stable_Baselines3'
    """
    return label.replace(" ", "").replace("-", "_").replace(".", "_")


if TYPE_CHECKING:
    _DictBase = Dict[str, Any]
else:  # a plain ``dict`` at run time, so ``dir()`` holds no typing internals
    _DictBase = dict


class AttributeDictionary(_DictBase):
    """A ``dict`` whose keys can also be read, set and deleted as attributes.

    Names starting with ``_`` stay ordinary attributes. ``dir()`` (and so tab
    completion) offers the keys made of letters and underscores; other keys are
    reachable with ``obj["key"]``.

    Example:
        >>> tags = AttributeDictionary({"PyTorch": "pytorch"})
        >>> tags.PyTorch
        'pytorch'
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if name.startswith("_"):
            object.__delattr__(self, name)
            return
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> Iterable[str]:
        keys = {key for key in self if isinstance(key, str) and _completable(key)}
        return sorted(set(super().__dir__()) | keys)

    def __repr__(self) -> str:
        lines = ["Available Attributes or Keys:\n"]
        for key in sorted(self):
            suffix = "" if _completable(key) else " (Key only)"
            lines.append(f" * {key}{suffix}\n")
        return "".join(lines)


class GeneralTags(AttributeDictionary):
    """A tag catalogue: one :class:`AttributeDictionary` per tag type (``library``...),
    mapping each tag's cleaned label to its id.

    Args:
        tag_dictionary (`dict`): the Hub's answer: type -> list of ``{"id", "label"}``.
        keys (`list`, *optional*): the types to keep (all by default); a type the
            answer lacks gives an empty group.

    Raises:
        ValueError: the answer is not such a mapping.

    Example:
        >>> GeneralTags({"library": [{"id": "pytorch", "label": "PyTorch"}]}).library.PyTorch
        'pytorch'
    """

    def __init__(self, tag_dictionary: Dict[str, Any], keys: Optional[List[str]] = None) -> None:
        super().__init__()
        if not isinstance(tag_dictionary, dict):
            raise ValueError(
                f"Expected a mapping of tag types, got {type(tag_dictionary).__name__}."
            )
        self._tag_dictionary = tag_dictionary
        for key in keys if keys is not None else list(tag_dictionary):
            group = AttributeDictionary()
            for entry in tag_dictionary.get(key) or []:
                group[clean_label(entry["label"])] = entry["id"]
            self[key] = group


class ModelTags(GeneralTags):
    """The model tag catalogue (:meth:`hfapi.HfApi.get_model_tags`): ``library``,
    ``language``, ``license``, ``dataset`` and ``pipeline_tag``.

    Example:
        >>> get_model_tags().pipeline_tag.TextClassification
        'text-classification'
    """

    def __init__(self, model_tag_dictionary: Dict[str, Any]) -> None:
        keys = ["library", "language", "license", "dataset", "pipeline_tag"]
        super().__init__(model_tag_dictionary, keys)


class DatasetTags(GeneralTags):
    """The dataset tag catalogue (:meth:`hfapi.HfApi.get_dataset_tags`); ids carry their
    type as prefix (``language:en``).

    Example:
        >>> get_dataset_tags().language.en
        'language:en'
    """

    def __init__(self, dataset_tag_dictionary: Dict[str, Any]) -> None:
        keys = [
            "language",
            "multilinguality",
            "language_creators",
            "task_categories",
            "size_categories",
            "benchmark",
            "task_ids",
            "license",
        ]
        super().__init__(dataset_tag_dictionary, keys)


# ---------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------


class MetricInfo(HubObject):
    """An evaluation metric listed by the Hub (:meth:`hfapi.HfApi.list_metrics`).

    Attributes:
        id: the metric's name.
        description: what it measures.
        citation: how to cite it.

    Example:
        >>> print(list_metrics()[0])
        Metric Name: accuracy
    """

    id: Optional[str]
    description: Optional[str]
    citation: Optional[str]

    _dropped = ("key",)
    _fields = (
        Field("id", "id", None, annotation="Optional[str]"),
        Field("description", "description", None, annotation="Optional[str]"),
        Field("citation", "citation", None, annotation="Optional[str]"),
    )

    def __str__(self) -> str:
        return f"Metric Name: {self.id}"
