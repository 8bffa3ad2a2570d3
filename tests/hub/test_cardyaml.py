"""The YAML subset reader of model-card metadata (backend/cardyaml.py)."""

from __future__ import annotations

from typing import Any

import pytest

from hfapi.hub.backend.cardyaml import CardYamlError, parse_card_metadata, parse_yaml

CARD = """
language:
- en
- fr   # comment after an item
license: apache-2.0
tags: [a, "b c", 'd''e', 3]
datasets:
  - squad
model-index:
- name: bert
  results:
  - task:
      type: text-classification
    metrics:
      - type: accuracy
        value: 0.91
co2_eq_emissions:
  emissions: 17g
  source: "tab\\there \\u00e9"
widget: {text: "hi: there", n: 3, l: [1, 2.5, null, true, ~]}
description: |
  line one
  line two

folded: >-
  a
  b
plain: this is
  continued
url: https://example.org/a#b
empty:
flow_multi: [
  a,
  b,
]
'quoted key': no
"""


def test_the_supported_subset() -> None:
    assert parse_yaml(CARD) == {
        "language": ["en", "fr"],
        "license": "apache-2.0",
        "tags": ["a", "b c", "d'e", 3],
        "datasets": ["squad"],
        "model-index": [
            {
                "name": "bert",
                "results": [
                    {
                        "task": {"type": "text-classification"},
                        "metrics": [{"type": "accuracy", "value": 0.91}],
                    }
                ],
            }
        ],
        "co2_eq_emissions": {"emissions": "17g", "source": "tab\there \u00e9"},
        "widget": {"text": "hi: there", "n": 3, "l": [1, 2.5, None, True, None]},
        "description": "line one\nline two\n",
        "folded": "a b",
        "plain": "this is continued",
        "url": "https://example.org/a#b",
        "empty": None,
        "flow_multi": ["a", "b"],
        "quoted key": "no",  # YAML 1.2: "no" is a string (Norwegian stays Norwegian)
    }


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2",
        "a: *alias",
        "a: &anchor x",
        "a: !!str x",
        "a:\n  b: 1\n c: 2",
        "a: 'unclosed",
        "- a\nb: 1",
        "\ta: 1",
        "a: 1\n---\nb: 2",
        'a: "bad \\q escape"',
        "a: b: c",
    ],
)
def test_outside_the_subset_raises(text: str) -> None:
    with pytest.raises(CardYamlError):
        parse_yaml(text)


@pytest.mark.parametrize(
    ("readme", "expected"),
    [
        (b"---\nlicense: mit\n---\n# Title", {"license": "mit"}),
        (b"\xef\xbb\xbf---\r\nlicense: mit\r\n---\r\n", {"license": "mit"}),
        (b"---\nlicense: mit\n...\n", {"license": "mit"}),
        (b"# no metadata\n---\nlicense: mit\n---\n", {}),
        (b"---\nlicense: mit\n", {}),  # never closed
        (b"---\na: [\n---\n", {}),  # broken YAML
        (b"---\n- a\n---\n", {}),  # not a mapping
        (b"---\n---\n", {}),
        (b"", {}),
    ],
)
def test_card_metadata_of_a_readme(readme: bytes, expected: Any) -> None:
    assert parse_card_metadata(readme) == expected
