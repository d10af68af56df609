"""Analyst accounts: loading from secrets, bcrypt checks, roles and department permissions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bcrypt
import pytest

from greengrowth import auth
from greengrowth.auth import (
    Account,
    AccountError,
    account_for_email,
    account_for_identity,
    authenticate,
    load_accounts,
    load_identities,
    sso_identity,
)

ROOT = Path(__file__).resolve().parents[1]
# A cheap hash keeps the tests fast; the app's own hashes use cost 12.
FAST_HASH = bcrypt.hashpw(b"mat-khau-1", bcrypt.gensalt(rounds=4)).decode()


def _accounts() -> dict[str, Account]:
    return load_accounts(
        {
            "Lan": {
                "name": "Nguyễn Thị Lan",
                "password_hash": FAST_HASH,
                "role": "analyst",
                "departments": ["doc", "DONRE"],
            },
            "admin": {"name": "DPI", "password_hash": FAST_HASH, "role": "admin"},
            "sso": {"name": "Minh", "email": "Minh@BinhDuong.gov.vn", "departments": ["DOIT"]},
        }
    )


def test_example_secrets_demo_account_signs_in_with_the_documented_password() -> None:
    secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    accounts = load_accounts(secrets["analysts"])
    demo = authenticate(accounts, "demo", "xanh-2018")
    assert demo is not None and demo.is_admin
    assert authenticate(accounts, "demo", "xanh-2019") is None


def test_accounts_are_loaded_with_roles_and_upper_case_departments() -> None:
    accounts = _accounts()
    lan = accounts["lan"]  # user names ignore case
    assert lan.name == "Nguyễn Thị Lan"
    assert lan.role == "analyst" and not lan.is_admin
    assert lan.departments == ("DOC", "DONRE")
    assert accounts["admin"].is_admin


def test_authenticate_checks_name_and_password() -> None:
    accounts = _accounts()
    assert authenticate(accounts, " LAN ", "mat-khau-1").username == "lan"
    assert authenticate(accounts, "lan", "wrong") is None
    assert authenticate(accounts, "nobody", "mat-khau-1") is None
    assert authenticate(accounts, "", "") is None
    assert authenticate(accounts, "sso", "") is None  # an SSO-only account has no password


def test_department_permissions_follow_the_role() -> None:
    accounts = _accounts()
    lan, admin = accounts["lan"], accounts["admin"]
    assert lan.may_report_for("DOC") and lan.may_report_for("donre")
    assert not lan.may_report_for("DOIT")
    assert admin.may_report_for("DOIT") and admin.may_report_for("anything")
    assert lan.allowed(["DOIT", "DONRE", "DOC"]) == ["DONRE", "DOC"]
    star = load_accounts({"x": {"password_hash": FAST_HASH, "departments": ["*"]}})["x"]
    assert star.may_report_for("DOH")


def test_sso_users_map_to_accounts_by_email() -> None:
    accounts = _accounts()
    assert account_for_email(accounts, "minh@binhduong.gov.vn").username == "sso"
    assert account_for_email(accounts, "someone@else.vn") is None
    assert account_for_email(accounts, None) is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"password_hash": FAST_HASH, "role": "boss", "departments": ["DOC"]}, "role"),
        ({"password_hash": FAST_HASH, "role": "analyst"}, "departments"),
        ({"role": "admin"}, "password_hash"),
        ("not a table", "table"),
    ],
)
def test_malformed_accounts_are_refused_with_a_message_naming_the_account(entry, message) -> None:
    with pytest.raises(AccountError, match=message) as info:
        load_accounts({"lan": entry})
    assert "analysts.lan" in str(info.value)


def test_no_secrets_means_no_accounts() -> None:
    assert load_accounts(None) == {}
    assert load_accounts({}) == {}


def test_malformed_hash_is_no_match_not_an_error() -> None:
    assert auth.verify_password("x", "not-a-bcrypt-hash") is False


def test_hash_command_prints_a_hash_that_verifies(monkeypatch, capsys) -> None:
    answers = iter(["mot-mat-khau", "mot-mat-khau"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert auth.main(["hash"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("$2b$12$")
    assert auth.verify_password("mot-mat-khau", printed)


def test_hash_command_refuses_mismatched_or_short_passwords(monkeypatch) -> None:
    answers = iter(["mot-mat-khau", "khac-hoan-toan", "ngan", "ngan"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert auth.main(["hash"]) == 1
    assert auth.main(["hash"]) == 1


# ---- single sign-on identities (issue 15, point 5) -------------------------------------------------
ISSUER = "https://sso.binhduong.gov.vn/realms/tinh"
IDENTITIES = {
    "lan": {"email": "Lan.NT@BinhDuong.gov.vn", "name": "Nguyễn Thị Lan", "departments": ["doit"]},
    "hoa": {"sub": "4f2c-AB", "role": "reviewer", "provider": "keycloak"},
    "admin": {"email": "admin@binhduong.gov.vn", "role": "admin"},
}


def _claims(**claims) -> dict:
    return {"iss": ISSUER, "provider": "default", "is_logged_in": True, **claims}


def test_identities_load_with_roles_and_departments() -> None:
    lan, hoa, admin = load_identities(IDENTITIES)
    assert (lan.email, lan.sub, lan.role, lan.departments) == (
        "lan.nt@binhduong.gov.vn", "", "analyst", ("DOIT",),
    )  # fmt: skip
    assert (hoa.sub, hoa.provider, hoa.departments) == ("4f2c-AB", "keycloak", ("*",))
    assert admin.role == "admin" and admin.name == "admin@binhduong.gov.vn"
    assert load_identities(None) == [] and load_identities({}) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"departments": ["DOIT"]}, "exactly one of email or sub"),
        ({"email": "a@b.vn", "sub": "x", "departments": ["DOIT"]}, "exactly one of email or sub"),
        ({"email": "not-an-address", "departments": ["DOIT"]}, "not an e-mail address"),
        ({"email": "a@b.vn"}, "departments"),
        ({"email": "a@b.vn", "role": "viewer"}, "role"),
        ({"email": "a@b.vn", "departmnets": ["DOIT"]}, "unknown field"),
        ({"email": "a@b.vn", "role": "admin", "password_hash": FAST_HASH}, "no password"),
        ({"email": "a@b.vn", "departments": 5}, "departments must be a list"),
        ("lan@binhduong.gov.vn", "table"),
    ],
)
def test_malformed_identities_are_refused_with_a_message_naming_the_entry(entry, message) -> None:
    with pytest.raises(AccountError, match=message) as info:
        load_identities({"lan": entry})
    assert "[identities.lan]" in str(info.value)


def test_the_same_identity_twice_or_also_on_an_analyst_account_is_refused() -> None:
    twice = {"a": {"email": "x@b.vn", "role": "admin"}, "b": {"email": "X@B.vn", "role": "admin"}}
    with pytest.raises(AccountError, match=r"\[identities.b\] maps the same identity"):
        load_identities(twice)
    # the same subject from two different providers is two identities
    assert len(load_identities({"a": {"sub": "1", "role": "admin", "provider": "p1"},
                                "b": {"sub": "1", "role": "admin", "provider": "p2"}})) == 2  # fmt: skip
    with pytest.raises(AccountError, match=r"also on \[analysts.sso\]"):
        load_identities({"m": {"email": "minh@binhduong.gov.vn", "role": "admin"}}, _accounts())


def test_a_mapped_email_gets_its_role_and_acts_under_its_sso_identity() -> None:
    identities = load_identities(IDENTITIES)
    lan = account_for_identity(
        identities, {}, _claims(sub="u-1", email="lan.nt@binhduong.gov.vn", email_verified=True)
    )
    assert lan is not None and lan.role == "analyst" and lan.departments == ("DOIT",)
    assert lan.name == "Nguyễn Thị Lan"
    assert lan.username == f"lan.nt@binhduong.gov.vn [{ISSUER}]"
    assert lan.may_report_for("DOIT") and not lan.may_report_for("DOC")
    assert not lan.password_hash  # an SSO account can never sign in with a password


def test_a_subject_matches_exactly_and_only_from_its_provider() -> None:
    identities = load_identities(IDENTITIES)
    hoa = account_for_identity(identities, {}, _claims(sub="4f2c-AB", provider="keycloak"))
    assert hoa is not None and hoa.is_reviewer
    assert hoa.username == f"sub:4f2c-AB [{ISSUER}]"  # the subject, also when an e-mail is given
    hoa_with_mail = account_for_identity(
        identities, {}, _claims(sub="4f2c-AB", provider="keycloak", email="hoa@binhduong.gov.vn")
    )
    assert hoa_with_mail.username == hoa.username
    assert account_for_identity(identities, {}, _claims(sub="4f2c-ab", provider="keycloak")) is None
    assert account_for_identity(identities, {}, _claims(sub="4f2c-AB", provider="wso2")) is None


def test_unmapped_or_unverified_identities_get_no_account() -> None:
    identities = load_identities(IDENTITIES)
    assert account_for_identity(identities, {}, _claims(sub="u-9", email="ai@do.vn")) is None
    unverified = _claims(sub="u-1", email="lan.nt@binhduong.gov.vn", email_verified=False)
    assert account_for_identity(identities, _accounts(), unverified) is None
    assert account_for_identity(identities, {}, None) is None
    assert account_for_identity(identities, {}, _claims()) is None  # neither sub nor e-mail


def test_the_older_email_on_an_analyst_account_still_maps_but_records_the_identity() -> None:
    minh = account_for_identity([], _accounts(), _claims(sub="m", email="MINH@binhduong.gov.vn"))
    assert minh is not None and minh.departments == ("DOIT",) and minh.name == "Minh"
    assert minh.username == f"minh@binhduong.gov.vn [{ISSUER}]"


def test_sso_identity_names_the_issuer_and_the_email_or_subject() -> None:
    assert sso_identity(_claims(sub="s", email="A@B.vn")) == f"a@b.vn [{ISSUER}]"
    assert sso_identity(_claims(sub="s")) == f"sub:s [{ISSUER}]"
    assert sso_identity({"sub": "s", "provider": "wso2"}) == "sub:s [wso2]"
    assert len(sso_identity(_claims(sub="s" * 500))) == 200


def test_example_secrets_identities_are_valid() -> None:
    secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    sso = tomllib.loads((ROOT / ".streamlit" / "secrets.sso.example.toml").read_text("utf-8"))
    accounts = load_accounts(secrets.get("analysts"))
    identities = load_identities(sso["identities"], accounts)
    assert {i.role for i in identities} == {"analyst", "reviewer", "admin"}
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret",
            "server_metadata_url"} <= set(sso["auth"])  # fmt: skip
