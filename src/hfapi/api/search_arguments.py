"""The legacy exploration helpers ``ModelSearchArguments`` and ``DatasetSearchArguments``.

Apart from :mod:`hfapi.api.search` so that ``import hfapi`` does not import the data
classes they build on (issue 14: import cost); ``hfapi`` and ``hfapi.hf_api`` export them
by name, imported on first access.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Tuple

from ..hf_api import HfApi
from ..models.search import AttributeDictionary, clean_label


def _authors_and_names(repo_ids: Iterable[Optional[str]]) -> Tuple[Dict[str, str], Dict[str, str]]:
    """Index repo ids as ``{raw author: cleaned}`` and ``{raw name: cleaned}``."""
    authors: Dict[str, str] = {}
    names: Dict[str, str] = {}
    for repo_id in repo_ids:
        if not repo_id:
            continue
        author, _, name = repo_id.rpartition("/")
        if author:
            authors[author] = clean_label(author)
        names[name] = clean_label(name)
    return authors, names


class ModelSearchArguments(AttributeDictionary):
    """Every value a model search can use, as nested attributes with tab completion.

    Legacy and slow: building it lists every model of the Hub. Values whose key does not
    start with a letter are reachable as ``args.group["key"]`` only.

    Args:
        api (`HfApi`, *optional*): the client to query (a default one otherwise).

    Example:
        >>> args = ModelSearchArguments()
        >>> args.library.PyTorch, args.author.google
        ('pytorch', 'google')
    """

    def __init__(self, api: Optional["HfApi"] = None) -> None:
        super().__init__()
        client = api if api is not None else HfApi()
        self.update(client.get_model_tags())
        authors, names = _authors_and_names(info.modelId for info in client.list_models())
        self["model_name"] = AttributeDictionary(names)
        self["author"] = AttributeDictionary(authors)


class DatasetSearchArguments(AttributeDictionary):
    """Every value a dataset search can use, as nested attributes with tab completion.

    Legacy and slow: building it lists every dataset of the Hub.

    Args:
        api (`HfApi`, *optional*): the client to query (a default one otherwise).

    Example:
        >>> args = DatasetSearchArguments()
        >>> args.language.en
        'language:en'
    """

    def __init__(self, api: Optional["HfApi"] = None) -> None:
        super().__init__()
        client = api if api is not None else HfApi()
        self.update(client.get_dataset_tags())
        authors, names = _authors_and_names(info.id for info in client.list_datasets())
        self["dataset_name"] = AttributeDictionary(names)
        self["author"] = AttributeDictionary(authors)
