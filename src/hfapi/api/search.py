"""Search and listing: list_models, list_datasets, list_spaces, list_metrics and the tag
catalogues (the legacy ``ModelSearchArguments`` / ``DatasetSearchArguments`` built on them
are in :mod:`hfapi.api.search_arguments`).

The three repo listings are generators: nothing is checked or sent until the first
item is asked for, pages are fetched one at a time as they are consumed, and a
``limit`` stops the fetching as soon as that many items have been yielded.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .._validators import validate_hub_args
from ._base import _ApiBase
from ._docs import with_shared_docs

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from typing_extensions import Literal

    from ..models import (
        DatasetFilter,
        DatasetInfo,
        DatasetTags,
        MetricInfo,
        ModelFilter,
        ModelInfo,
        ModelTags,
        SpaceInfo,
    )

Params = Dict[str, Any]
Bounds = Tuple[float, float]

_NUMBER = re.compile(r"\d+\.\d+|\d+")


# ---------------------------------------------------------------------------------------
# Query building (pure)
# ---------------------------------------------------------------------------------------


def _repeated(value: Any, name: str) -> Union[str, List[Any]]:
    """A string is sent once; any other iterable as a repeated key."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise TypeError(f"`{name}` must be a string or an iterable of strings, not {value!r}.")
    return list(value)


def _common(
    params: Params,
    author: Optional[str],
    search: Optional[str],
    sort: Optional[str],
    direction: Optional[int],
    limit: Optional[int],
) -> Params:
    """Add the parameters every listing shares, in the order the Hub's clients send them.

    A ``search`` given here replaces the one a filter object produced (in place, so the
    key keeps its position in the query string).
    """
    for key, value in (
        ("author", author),
        ("search", search),
        ("sort", sort),
        ("direction", direction),
        ("limit", limit),
    ):
        if value is not None:
            params[key] = value
    return params


def models_query(
    filter: Union[ModelFilter, str, Iterable[str], None],
    author: Optional[str],
    search: Optional[str],
    sort: Optional[str],
    direction: Optional[int],
    limit: Optional[int],
    full: Optional[bool],
    card_data: bool,
    fetch_config: bool,
) -> Params:
    """The query string of ``GET /api/models`` as a dict (its order is the wire order).

    Any filter implies ``full=True`` unless ``full`` is explicitly falsy.

    Example:
        >>> models_query("bert", None, None, None, None, 10, None, False, False)
        {'filter': 'bert', 'full': True, 'limit': 10}
    """
    from ..models import ModelFilter, model_filter_query

    params: Params = {}
    if isinstance(filter, ModelFilter):
        params = model_filter_query(filter)
    elif filter is not None:
        params["filter"] = _repeated(filter, "filter")
    if filter is not None:
        params["full"] = True
    _common(params, author, search, sort, direction, limit)
    if full:
        params["full"] = True
    elif full is not None:
        params.pop("full", None)
    if fetch_config:
        params["config"] = True
    if card_data:
        params["cardData"] = True
    return params


def datasets_query(
    filter: Union[DatasetFilter, str, Iterable[str], None],
    author: Optional[str],
    search: Optional[str],
    sort: Optional[str],
    direction: Optional[int],
    limit: Optional[int],
    full: Optional[bool],
) -> Params:
    """The query string of ``GET /api/datasets`` as a dict (a filter does not imply
    ``full``).

    Example:
        >>> datasets_query(DatasetFilter(language="en"), None, None, None, None, None, True)
        {'search': '', 'filter': ['language:en'], 'full': True}
    """
    from ..models import DatasetFilter, dataset_filter_query

    params: Params = {}
    if isinstance(filter, DatasetFilter):
        params = dataset_filter_query(filter)
    elif filter is not None:
        params["filter"] = _repeated(filter, "filter")
    _common(params, author, search, sort, direction, limit)
    if full:
        params["full"] = True
    return params


def spaces_query(
    filter: Union[str, Iterable[str], None],
    author: Optional[str],
    search: Optional[str],
    sort: Optional[str],
    direction: Optional[int],
    limit: Optional[int],
    datasets: Union[str, Iterable[str], None],
    models: Union[str, Iterable[str], None],
    linked: bool,
    full: Optional[bool],
) -> Params:
    """The query string of ``GET /api/spaces`` as a dict.

    Example:
        >>> spaces_query(None, None, None, None, None, None, "squad", None, True, None)
        {'linked': True, 'datasets': 'squad'}
    """
    params: Params = {}
    if filter is not None:
        params["filter"] = _repeated(filter, "filter")
    _common(params, author, search, sort, direction, limit)
    if full:
        params["full"] = True
    if linked:
        params["linked"] = True
    if datasets is not None:
        params["datasets"] = _repeated(datasets, "datasets")
    if models is not None:
        params["models"] = _repeated(models, "models")
    return params


# ---------------------------------------------------------------------------------------
# Carbon-emission filter (client side)
# ---------------------------------------------------------------------------------------


def emission_bounds(thresholds: Any, card_data: Optional[bool]) -> Optional[Bounds]:
    """Check ``emissions_thresholds`` and return ``(minimum, maximum)`` in grams.

    A missing minimum means -1, a missing maximum no limit.

    Raises:
        ValueError: both bounds are ``None``, or ``cardData`` is ``None``.
        TypeError: not a pair of numbers.
    """
    if thresholds is None:
        return None
    if card_data is None:
        raise ValueError("`emissions_thresholds` were passed without setting `cardData=True`.")
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(f"`emissions_thresholds` must be a (minimum, maximum) pair: {thresholds!r}")
    pair = tuple(thresholds)
    if len(pair) != 2:
        raise TypeError(f"`emissions_thresholds` must be a (minimum, maximum) pair: {thresholds!r}")
    for bound in pair:
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise TypeError(f"emission thresholds must be numbers or None, not {bound!r}.")
    low, high = pair
    if low is None and high is None:
        raise ValueError("Both `minimum_threshold` and `maximum_threshold` cannot both be `None`")
    return (-1.0 if low is None else float(low), math.inf if high is None else float(high))


def card_emissions(item: Dict[str, Any]) -> Optional[float]:
    """The CO2 emissions (grams) a model's card declares, or ``None``.

    Reads ``cardData.co2_eq_emissions`` (a value, or a mapping with ``emissions``) and
    takes the first number in it (``"17g"`` gives 17.0).
    """
    card = item.get("cardData")
    if not isinstance(card, dict):
        return None
    value = card.get("co2_eq_emissions")
    if isinstance(value, dict):
        value = value.get("emissions")
    if not value:
        return None
    match = _NUMBER.search(str(value))
    return float(match.group()) if match else None


def _within(item: Dict[str, Any], bounds: Bounds) -> bool:
    emissions = card_emissions(item)
    return emissions is not None and bounds[0] <= emissions <= bounds[1]


def _check_limit(limit: Optional[int]) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"`limit` must be a non-negative integer or None, not {limit!r}.")


# ---------------------------------------------------------------------------------------
# The mixin
# ---------------------------------------------------------------------------------------


class SearchMixin(_ApiBase):
    """Search and listing methods of :class:`hfapi.HfApi`."""

    def _listing(
        self, kind: str, params: Params, limit: Optional[int], token: Any
    ) -> Iterator[Dict[str, Any]]:
        """The raw items of ``GET /api/{kind}``, page by page, at most ``limit`` of them.

        ``limit=0`` sends nothing; once ``limit`` items are out no further page is asked for.
        """
        _check_limit(limit)
        pages = self._paginate(f"{self.endpoint}/api/{kind}", token=token, params=params)
        return itertools.islice(pages, limit)

    @validate_hub_args
    @with_shared_docs
    def list_models(
        self,
        *,
        filter: Union[ModelFilter, str, Iterable[str], None] = None,
        author: Optional[str] = None,
        search: Optional[str] = None,
        emissions_thresholds: Optional[Tuple[float, float]] = None,
        sort: Union[Literal["lastModified"], str, None] = None,
        direction: Optional[Literal[-1]] = None,
        limit: Optional[int] = None,
        full: Optional[bool] = None,
        cardData: bool = False,
        fetch_config: bool = False,
        token: Optional[Union[bool, str]] = None,
    ) -> Iterator[ModelInfo]:
        """List the models on the Hub, lazily.

        Args:
            filter (`ModelFilter`, `str` or `Iterable[str]`, *optional*): tags every model
                must have (task, library, language, ``dataset:...``...), or a
                :class:`ModelFilter`. A filter also asks for full information.
            author (`str`, *optional*): only the models of this user or organisation.
            search (`str`, *optional*): a part of the model ids.
            emissions_thresholds (`Tuple[float, float]`, *optional*): ``(minimum,
                maximum)`` CO2 emissions in grams declared in the model cards (either
                may be ``None``); needs ``cardData=True``, as models without card data
                are left out.
            sort (`str`, *optional*): property to sort by (``"lastModified"``,
                ``"downloads"``, ``"likes"``...).
            direction (`int`, *optional*): ``-1`` sorts in descending order.
            limit (`int`, *optional*): stop after this many models.
            full (`bool`, *optional*): include files, sha and dates; ``False`` also
                cancels the one implied by ``filter``.
            cardData (`bool`, *optional*): include the model card metadata.
            fetch_config (`bool`, *optional*): include the model configuration.
            {token}

        Returns:
            An iterator of :class:`ModelInfo`; pages are fetched as it is consumed.

        Raises:
            ValueError: bad ``limit`` or ``emissions_thresholds`` (on first iteration).
            TypeError: a filter value is not a string or a list of strings.

        Example:
            >>> [m.modelId for m in list_models(author="google", sort="downloads", limit=3)]
        """
        from ..models import ModelInfo

        bounds = emission_bounds(emissions_thresholds, cardData)
        params = models_query(
            filter, author, search, sort, direction, limit, full, cardData, fetch_config
        )
        for item in self._listing("models", params, limit, token):
            # After the limit, as the reference does: the filter never changes the requests.
            if bounds is None or _within(item, bounds):
                yield ModelInfo(**item)

    @validate_hub_args
    @with_shared_docs
    def list_datasets(
        self,
        *,
        filter: Union[DatasetFilter, str, Iterable[str], None] = None,
        author: Optional[str] = None,
        search: Optional[str] = None,
        sort: Union[Literal["lastModified"], str, None] = None,
        direction: Optional[Literal[-1]] = None,
        limit: Optional[int] = None,
        full: Optional[bool] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> Iterator[DatasetInfo]:
        """List the datasets on the Hub, lazily.

        Args:
            filter (`DatasetFilter`, `str` or `Iterable[str]`, *optional*): tags every
                dataset must have (``"language:en"``...), or a :class:`DatasetFilter`.
            author (`str`, *optional*): only the datasets of this user or organisation.
            search (`str`, *optional*): a part of the dataset ids.
            sort (`str`, *optional*): property to sort by (``"lastModified"``...).
            direction (`int`, *optional*): ``-1`` sorts in descending order.
            limit (`int`, *optional*): stop after this many datasets.
            full (`bool`, *optional*): include files, dates and card data.
            {token}

        Returns:
            An iterator of :class:`DatasetInfo`; pages are fetched as it is consumed.

        Raises:
            ValueError: bad ``limit`` (on first iteration).
            TypeError: a filter value is not a string or a list of strings.

        Example:
            >>> next(list_datasets(filter=DatasetFilter(language="fr"))).id
        """
        from ..models import DatasetInfo

        params = datasets_query(filter, author, search, sort, direction, limit, full)
        for item in self._listing("datasets", params, limit, token):
            yield DatasetInfo(**item)

    @validate_hub_args
    @with_shared_docs
    def list_spaces(
        self,
        *,
        filter: Union[str, Iterable[str], None] = None,
        author: Optional[str] = None,
        search: Optional[str] = None,
        sort: Union[Literal["lastModified"], str, None] = None,
        direction: Optional[Literal[-1]] = None,
        limit: Optional[int] = None,
        datasets: Union[str, Iterable[str], None] = None,
        models: Union[str, Iterable[str], None] = None,
        linked: bool = False,
        full: Optional[bool] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> Iterator[SpaceInfo]:
        """List the Spaces on the Hub, lazily.

        Args:
            filter (`str` or `Iterable[str]`, *optional*): tags every Space must have.
            author (`str`, *optional*): only the Spaces of this user or organisation.
            search (`str`, *optional*): a part of the Space ids.
            sort (`str`, *optional*): property to sort by (``"likes"``...).
            direction (`int`, *optional*): ``-1`` sorts in descending order.
            limit (`int`, *optional*): stop after this many Spaces.
            datasets (`str` or `Iterable[str]`, *optional*): only Spaces using these datasets.
            models (`str` or `Iterable[str]`, *optional*): only Spaces using these models.
            linked (`bool`, *optional*): only Spaces using some model or dataset.
            full (`bool`, *optional*): include files, dates and card data.
            {token}

        Returns:
            An iterator of :class:`SpaceInfo`; pages are fetched as it is consumed.

        Raises:
            ValueError: bad ``limit`` (on first iteration).
            TypeError: a filter value is not a string or a list of strings.

        Example:
            >>> [s.id for s in list_spaces(models="gpt2", limit=5)]
        """
        from ..models import SpaceInfo

        params = spaces_query(
            filter, author, search, sort, direction, limit, datasets, models, linked, full
        )
        for item in self._listing("spaces", params, limit, token):
            yield SpaceInfo(**item)

    def _public_json(self, path: str) -> Any:
        # The Hub's public catalogues: sent like the reference does, without token or
        # user-agent (a configured token is never shown to these endpoints).
        return self._http.request("GET", f"{self.endpoint}/api/{path}").json()

    def list_metrics(self) -> List[MetricInfo]:
        """List the evaluation metrics the Hub knows (public; no token is sent).

        Returns:
            A list of :class:`MetricInfo`.

        Example:
            >>> [str(m) for m in list_metrics()][:1]
            ['Metric Name: accuracy']
        """
        from ..models import MetricInfo

        answer = self._public_json("metrics")
        if not isinstance(answer, list):
            raise ValueError(f"Expected a JSON list of metrics, got {type(answer).__name__}.")
        return [MetricInfo(**item) for item in answer]

    def get_model_tags(self) -> ModelTags:
        """The tags models can be filtered with, by type (public; no token is sent).

        Returns:
            :class:`ModelTags`: ``library``, ``language``, ``license``, ``dataset`` and
            ``pipeline_tag`` groups, each mapping a cleaned label to the tag id.

        Example:
            >>> get_model_tags().library.PyTorch
            'pytorch'
        """
        from ..models import ModelTags

        return ModelTags(self._public_json("models-tags-by-type"))

    def get_dataset_tags(self) -> DatasetTags:
        """The tags datasets can be filtered with, by type (public; no token is sent).

        Returns:
            :class:`DatasetTags`: groups such as ``language`` or ``task_categories``,
            each mapping a cleaned label to the tag id (``language:en``).

        Example:
            >>> get_dataset_tags().language.en
            'language:en'
        """
        from ..models import DatasetTags

        return DatasetTags(self._public_json("datasets-tags-by-type"))
