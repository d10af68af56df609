"""Text that people typed (reasons, comments, file names, user names) shown as text: never read as
Markdown or HTML where a page renders Markdown (issue #9)."""

from __future__ import annotations

import re

# Every character Markdown (CommonMark, GitHub extensions, Streamlit's :colour[] and $math$) gives a
# meaning; a backslash before it makes it literal.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


def literal(value: object) -> str:
    """`value` as Markdown that renders exactly as typed, on one line (missing: empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).split())  # a typed newline must not start a heading or list
    return _SPECIAL.sub(r"\\\1", text)
