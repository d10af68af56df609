"""Analyst accounts: loading from secrets, bcrypt checks, roles and department permissions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bcrypt
import pytest

from greengrowth import auth
from greengrowth.auth import Account, AccountError, account_for_email, authenticate, load_accounts

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
