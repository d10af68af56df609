"""What is recorded for a user signed in with the identity provider (issue 15, point 5): uploads,
withdrawals and sign-ins/sign-outs carry the SSO identity; an identity without mapping may do nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from greengrowth import queries, signin, store
from greengrowth.auth import account_for_identity, load_identities, sso_identity
from loaders import service
from loaders.errors import ServiceError
from tests.workbooks import good_workbook

PLAN_ID = "binh-duong-2018-2020"
NOW = datetime(2026, 11, 24, 10, 0)
ISSUER = "https://sso.binhduong.gov.vn/realms/tinh"
IDENTITIES = {"lan": {"email": "lan@binhduong.gov.vn", "departments": ["DOIT"]}}


def _claims(**claims) -> dict:
    return {"iss": ISSUER, "provider": "default", "email_verified": True, **claims}


@pytest.fixture
def con(demo_db):
    with store.connect(demo_db) as connection:
        yield connection


def _log(con, actor: str) -> list[tuple]:
    return con.execute(
        "SELECT event, actor FROM event_log WHERE actor = ? ORDER BY event_at, event", [actor]
    ).fetchall()


def test_an_upload_and_a_withdrawal_record_the_sso_identity(con):
    lan = account_for_identity(
        load_identities(IDENTITIES), {}, _claims(sub="f81d-4fae", email="lan@binhduong.gov.vn")
    )
    identity = f"lan@binhduong.gov.vn [{ISSUER}]"
    assert lan.username == identity
    stored = service.commit(
        con, lan, good_workbook(con), "doit.xlsx", now=NOW, explanation="kiểm tra lại"
    )
    assert stored.outcome == "accepted"
    row = queries.submissions.submission(con, stored.submission_id)
    assert row["uploaded_by"] == identity
    service.withdraw(con, lan, stored.submission_id, "nộp nhầm", now=NOW + timedelta(minutes=1))
    assert _log(con, identity) == [("upload", identity), ("withdrawal", identity)]
    with pytest.raises(ServiceError) as info:  # still only its own departments
        service.commit(con, lan, good_workbook(con, department="DARD"), "dard.xlsx", now=NOW)
    assert info.value.code == "not_permitted"


def test_an_unmapped_identity_may_not_write_and_nothing_is_stored(con):
    claims = _claims(sub="u-9", email="khach@binhduong.gov.vn")
    assert account_for_identity(load_identities(IDENTITIES), {}, claims) is None
    before = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    own = queries.submissions.current_submission(con, PLAN_ID, "DOIT", 2019)
    for act in (
        lambda: service.commit(con, None, good_workbook(con), "doit.xlsx", now=NOW),
        lambda: service.withdraw(con, None, own, "thử", now=NOW),
    ):
        with pytest.raises(ServiceError) as info:
            act()
        assert info.value.code == "not_signed_in"
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == before
    assert sso_identity(claims) == f"khach@binhduong.gov.vn [{ISSUER}]"


def test_sso_sign_ins_and_sign_outs_are_in_the_event_log_exactly_and_never_lock(con):
    identity = sso_identity(_claims(sub="Case-Sensitive-Sub"), "sub")
    for minute in range(6):  # more than MAX_FAILURES events: none is a failure
        signin.record_sso(con, identity, "ok", NOW + timedelta(minutes=minute, seconds=0))
        signin.record_sso(con, identity, "signout", NOW + timedelta(minutes=minute, seconds=30))
    log = _log(con, identity)
    assert log[:2] == [("signin_ok", identity), ("signin_signout", identity)] and len(log) == 12
    assert "Case-Sensitive-Sub" in identity  # kept as the provider gave it
    assert signin.wait_seconds(con, identity, NOW + timedelta(minutes=7)) == 0
    with pytest.raises(ValueError, match="ok or signout"):
        signin.record_sso(con, identity, "failed")
