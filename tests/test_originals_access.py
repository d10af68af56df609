"""Originals are downloadable by signed-in accounts only (issue 16, item 8): they carry officers'
names and whatever the file holds. The history page is pages/history.py; the rule is
loaders.uploaded_files.may_download_originals."""

from __future__ import annotations

from tests.test_upload_page_hostile import ROOT, SECRETS, _navigation_mode  # noqa: F401


def history(user: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = SECRETS
    if user:
        at.session_state["analyst_user"] = user
    at.run()
    return at.switch_page("pages/history.py").run()


def test_a_signed_in_account_is_offered_the_original(demo_db):
    at = history("demo")
    assert not at.exception
    assert any(b.proto.label.startswith("Tải tệp gốc") for b in at.get("download_button"))


def test_a_visitor_cannot_download_an_original(demo_db):
    at = history(None)
    assert not at.exception
    assert not any(b.proto.label.startswith("Tải tệp gốc") for b in at.get("download_button"))
