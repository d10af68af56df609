"""Every YAML file of the project reads the same with the fast loader as with PyYAML's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from greengrowth import yaml_files

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    p for folder in ("greengrowth", "loaders", "data") for p in (ROOT / folder).rglob("*.yaml")
)


def test_the_fast_loader_is_used_when_libyaml_is_there():
    assert FILES  # strings, problem texts, plan folders, quality rules
    if yaml.__with_libyaml__:
        assert yaml_files.LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_data_as_the_pure_python_safe_loader(path: Path):
    text = path.read_text(encoding="utf-8")
    assert yaml_files.safe_load(text) == yaml.safe_load(text)


def test_bad_yaml_is_still_a_yaml_error():
    with pytest.raises(yaml.YAMLError):
        yaml_files.safe_load("a: [1, 2\nb: c")
