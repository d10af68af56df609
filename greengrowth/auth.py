"""Accounts: who may upload, correct and withdraw (analysts, for their departments), who reviews
(reviewers: DPI) and who may reopen an approved report (admins).

Pure functions over a plain mapping (the `[analysts]` table of Streamlit's secrets), so the rules are
tested without Streamlit. Passwords are stored only as bcrypt hashes; make one with
`python -m greengrowth.auth hash`. Viewing the dashboard needs no account.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import bcrypt

ROLES = ("admin", "analyst", "reviewer")  # reviewer: DPI, approves and returns reports
ALL_DEPARTMENTS = "*"


class AccountError(ValueError):
    """An account in the secrets is malformed; the message names the account and the field."""


@dataclass(frozen=True)
class Account:
    """One analyst. `departments` holds department codes, or "*" for every department."""

    username: str
    name: str
    role: str
    departments: tuple[str, ...]
    password_hash: str = ""
    email: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_reviewer(self) -> bool:
        """DPI's reviewers (and admins) approve and return reports of every department."""
        return self.role in ("reviewer", "admin")

    def may_report_for(self, department_code: str) -> bool:
        """Admins report for every department; analysts only for the departments listed."""
        if self.is_admin or ALL_DEPARTMENTS in self.departments:
            return True
        return department_code.strip().upper() in self.departments

    def allowed(self, department_codes: Iterable[str]) -> list[str]:
        """The subset of `department_codes` this account may report for, in the given order."""
        return [code for code in department_codes if self.may_report_for(code)]


@cache
def _dummy_hash() -> bytes:
    """Checked when the user name is unknown, so a wrong name costs as long as a wrong password."""
    return bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=12))


def _normalise(username: str) -> str:
    return username.strip().casefold()


def load_accounts(analysts: Mapping | None) -> dict[str, Account]:
    """Accounts from the `[analysts.<user>]` tables; raises AccountError naming what is wrong."""
    accounts: dict[str, Account] = {}
    for username, entry in (analysts or {}).items():
        if not isinstance(entry, Mapping):
            raise AccountError(f"[analysts.{username}] must be a table")
        role = str(entry.get("role", "analyst")).strip().lower()
        if role not in ROLES:
            raise AccountError(f"[analysts.{username}] role must be one of {ROLES}, not {role!r}")
        departments = entry.get("departments", [])
        if isinstance(departments, str):
            departments = [departments]
        codes = tuple(str(code).strip().upper() for code in departments if str(code).strip())
        if role == "reviewer":  # reviews every department's report, reports for none
            codes = (ALL_DEPARTMENTS,)
        if role == "analyst" and not codes:
            raise AccountError(f"[analysts.{username}] an analyst needs a departments list")
        password_hash = str(entry.get("password_hash", "")).strip()
        email = str(entry.get("email", "")).strip().casefold()
        if not password_hash and not email:
            raise AccountError(f"[analysts.{username}] needs a password_hash (or an email for SSO)")
        key = _normalise(str(username))
        if key in accounts:
            raise AccountError(f"[analysts.{username}] is defined twice (names ignore case)")
        accounts[key] = Account(
            username=key,
            name=str(entry.get("name") or username),
            role=role,
            departments=codes,
            password_hash=password_hash,
            email=email,
        )
    return accounts


def hash_password(password: str) -> str:
    """A bcrypt hash (salted, cost 12) to paste into secrets.toml."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when `password` matches the bcrypt hash; a malformed hash is simply no match."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


def authenticate(accounts: Mapping[str, Account], username: str, password: str) -> Account | None:
    """The account if the name and password match, else None (same cost either way)."""
    account = accounts.get(_normalise(username or ""))
    if account is None or not account.password_hash:
        bcrypt.checkpw(b"x", _dummy_hash())
        return None
    return account if verify_password(password or "", account.password_hash) else None


def account_for_email(accounts: Mapping[str, Account], email: str | None) -> Account | None:
    """The account an SSO (st.login) user maps to, by the `email` given in its secrets entry."""
    if not email:
        return None
    wanted = email.strip().casefold()
    return next((a for a in accounts.values() if a.email and a.email == wanted), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m greengrowth.auth", description="Analyst accounts"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash", help="ask for a password and print its bcrypt hash for secrets.toml")
    parser.parse_args(argv)
    password = getpass.getpass("Mật khẩu / password: ")
    again = getpass.getpass("Nhập lại / again: ")
    if password != again:
        print("Hai lần nhập không khớp / the passwords differ", file=sys.stderr)
        return 1
    if len(password) < 8:
        print("Mật khẩu cần ít nhất 8 ký tự / use at least 8 characters", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
