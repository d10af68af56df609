"""Placeholder: analyst sign-in (issue 4)."""

from __future__ import annotations


def sidebar_account(lang: str) -> None:
    """Sign-in box in the sidebar (filled in by the analyst workflow)."""
    return None
