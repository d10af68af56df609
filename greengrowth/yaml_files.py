"""Reading the project's YAML (the plan catalog, UI strings, problem texts, quality rules).

One loader for all of them: libyaml's C parser when PyYAML was built with it (the wheels are), which
reads the strings files about ten times faster than the pure-Python one; a server's first page run
reads them all (issue 11: cold start). Both build only plain data (no Python objects) and raise
yaml.YAMLError on bad input; libyaml is a little more lenient (a tab after a colon) and its error
messages do not quote the offending line. tests/test_yaml_files.py checks every YAML file of the
project loads the same with both.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes | IO) -> Any:
    """yaml.safe_load with the fastest safe loader available."""
    return yaml.load(stream, Loader=LOADER)  # noqa: S506 (a safe loader)
