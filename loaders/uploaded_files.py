"""Uploaded files as people see them again: a cleaned display name, and who may download an original.

The browser sends whatever file name it likes. Shown verbatim, a right-to-left override turns
"DOIT_2020_cod.xlsx" into something that reads like another department's file, a folder path leaks
into the download header, and a NUL breaks the page. So the history stores and shows a display name
with no control or bidirectional-formatting characters, no folders and a bounded length; the name
exactly as sent is kept only in the event log, escaped. Originals carry officers' names and whatever
the file holds, so only signed-in accounts may download them.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from loaders.problems import Problem, problem

MAX_NAME_CHARS = 120  # a long Vietnamese title plus department and period fits; 1,500 does not
MAX_LOGGED_NAME_CHARS = 4_096
FALLBACK_NAME = "workbook.xlsx"
# Categories never shown in a name: controls (Cc), formatting incl. bidi overrides and zero-width
# characters (Cf), unpaired surrogates (Cs), private use (Co), unassigned (Cn), line/paragraph seps.
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class FileNameError(ValueError):
    """The name cannot be taken at all; the upload is refused with `problem`."""

    def __init__(self, found: Problem) -> None:
        super().__init__(found.message_en)
        self.problem = found


def name_problem(raw: object) -> Problem | None:
    """A refusal for a name nothing downstream can carry (NUL, unpaired surrogates, not text)."""
    if not isinstance(raw, str):
        return problem("bad_file_name", value=type(raw).__name__)
    if "\x00" in raw:
        return problem("bad_file_name", value=raw_name_for_log(raw))
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return problem("bad_file_name", value=raw_name_for_log(raw))
    return None


def check_file_name(raw: object) -> str:
    """The display name for an upload, or FileNameError whose problem the page shows as a refusal."""
    found = name_problem(raw)
    if found is not None:
        raise FileNameError(found)
    return display_name(str(raw))


def display_name(raw: str) -> str:
    """The name to store and show: last path part only, no invisible or direction-changing
    characters, spaces collapsed, at most MAX_NAME_CHARS with the extension kept."""
    text = unicodedata.normalize("NFC", raw.replace("\\", "/"))
    text = "".join(" " if ch in "\t\n\r" else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP)
    text = posixpath.basename(text.rstrip("/ "))
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text:
        return FALLBACK_NAME
    if len(text) > MAX_NAME_CHARS:
        stem, dot, ext = text.rpartition(".")
        ext = f".{ext}" if dot and 0 < len(ext) <= 10 else ""
        stem = (stem if ext else text)[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .")
        text = f"{stem}…{ext}"
    return text


def raw_name_for_log(raw: str) -> str:
    """The name exactly as sent, escaped so no character acts on the log's reader, and bounded."""
    shown = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _DROP else ch for ch in raw)
    if len(shown) > MAX_LOGGED_NAME_CHARS:
        shown = shown[: MAX_LOGGED_NAME_CHARS - 1] + "…"
    return shown


def may_download_originals(user: object | None) -> bool:
    """Original workbooks go to signed-in accounts only (a visitor sees the rows, not the file)."""
    return user is not None
