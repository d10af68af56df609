"""Reading the project's YAML (the plan catalog, UI strings, problem texts, quality rules).

One loader for all of them: libyaml's C parser when PyYAML was built with it (the wheels are), which
reads the strings files about ten times faster than the pure-Python one; a server's first page run
reads them all (issue 11: cold start). Same safe subset of YAML either way.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes | IO) -> Any:
    """yaml.safe_load with the fastest safe loader available."""
    return yaml.load(stream, Loader=SafeLoader)  # noqa: S506 (a safe loader)
