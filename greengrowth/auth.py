"""Accounts: who may upload, correct and withdraw (analysts, for their departments), who reviews
(reviewers: DPI) and who may reopen an approved report (admins).

Pure functions over plain mappings (the `[analysts]` and `[identities]` tables of Streamlit's
secrets), so the rules are tested without Streamlit. Passwords are stored only as bcrypt hashes; make
one with `python -m greengrowth.auth hash`. Viewing the dashboard needs no account.

Officers who sign in with the province's identity provider (OpenID Connect, st.login) get rights only
through an `[identities.<label>]` entry that names their e-mail or subject (`sub`); an identity with no
entry is signed in but may only view. What is recorded for their actions is the identity itself
(`sso_identity`): the e-mail or subject and the issuer, not a local user name.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
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


def _role_and_departments(where: str, entry: Mapping) -> tuple[str, tuple[str, ...]]:
    """The validated role and department codes of one secrets entry (`where` names it)."""
    role = str(entry.get("role", "analyst")).strip().lower()
    if role not in ROLES:
        raise AccountError(f"{where} role must be one of {ROLES}, not {role!r}")
    departments = entry.get("departments", [])
    if isinstance(departments, str):
        departments = [departments]
    if not isinstance(departments, list | tuple):
        raise AccountError(f"{where} departments must be a list of department codes")
    codes = tuple(str(code).strip().upper() for code in departments if str(code).strip())
    if role == "reviewer":  # reviews every department's report, reports for none
        codes = (ALL_DEPARTMENTS,)
    if role == "analyst" and not codes:
        raise AccountError(f"{where} an analyst needs a departments list")
    return role, codes


def load_accounts(analysts: Mapping | None) -> dict[str, Account]:
    """Accounts from the `[analysts.<user>]` tables; raises AccountError naming what is wrong."""
    accounts: dict[str, Account] = {}
    for username, entry in (analysts or {}).items():
        if not isinstance(entry, Mapping):
            raise AccountError(f"[analysts.{username}] must be a table")
        role, codes = _role_and_departments(f"[analysts.{username}]", entry)
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


# ---- single sign-on (OpenID Connect) identities ------------------------------------------------------
IDENTITY_FIELDS = ("email", "sub", "provider", "name", "role", "departments")


@dataclass(frozen=True)
class Identity:
    """One `[identities.<label>]` entry: who (an e-mail or a subject, optionally from one provider
    only) gets which role and departments."""

    label: str
    email: str
    sub: str
    provider: str  # the st.login provider name ("default" for a single [auth]); "" for any
    name: str
    role: str
    departments: tuple[str, ...]

    def matches(self, claims: Mapping) -> bool:
        """True when the signed-in user's claims are this identity. An e-mail matches only when the
        provider has not said it is unverified (a self-chosen address must not grant rights)."""
        if self.provider and str(claims.get("provider") or "") != self.provider:
            return False
        if self.sub:
            return str(claims.get("sub") or "") == self.sub
        email = str(claims.get("email") or "").strip().casefold()
        return bool(email) and email == self.email and claims.get("email_verified") is not False


def load_identities(
    identities: Mapping | None, accounts: Mapping[str, Account] | None = None
) -> list[Identity]:
    """Identities from the `[identities.<label>]` tables; raises AccountError naming what is wrong.

    Each needs exactly one of `email` or `sub`; unknown fields are refused (a misspelt `departments`
    must not pass silently). With `accounts`, an e-mail also given to an `[analysts]` account (the
    older way to map SSO users) is refused as ambiguous."""
    found: list[Identity] = []
    seen: dict[tuple[str, str, str], str] = {}
    legacy = {a.email: a.username for a in (accounts or {}).values() if a.email}
    for label, entry in (identities or {}).items():
        where = f"[identities.{label}]"
        if not isinstance(entry, Mapping):
            raise AccountError(f"{where} must be a table")
        unknown = sorted(set(entry) - set(IDENTITY_FIELDS))
        if unknown:
            raise AccountError(
                f"{where} unknown field(s) {unknown}; allowed: {', '.join(IDENTITY_FIELDS)}"
                + (
                    " (identities sign in at the provider: no password)"
                    if "password_hash" in unknown
                    else ""
                )
            )
        email = str(entry.get("email", "")).strip().casefold()
        sub = str(entry.get("sub", "")).strip()
        if bool(email) == bool(sub):
            raise AccountError(f"{where} needs exactly one of email or sub")
        if email and "@" not in email:
            raise AccountError(f"{where} email {email!r} is not an e-mail address")
        provider = str(entry.get("provider", "")).strip()
        role, codes = _role_and_departments(where, entry)
        key = (provider, "sub" if sub else "email", sub or email)
        if key in seen:
            raise AccountError(f"{where} maps the same identity as [identities.{seen[key]}]")
        seen[key] = str(label)
        if email and email in legacy:
            raise AccountError(
                f"{where} email {email!r} is also on [analysts.{legacy[email]}]; keep one of them"
            )
        name = str(entry.get("name") or email or label)
        found.append(Identity(str(label), email, sub, provider, name, role, codes))
    return found


def sso_identity(claims: Mapping, by: str = "") -> str:
    """What is recorded as the actor for a user signed in with the identity provider: the e-mail
    (or, when mapped by subject or there is no e-mail, `sub:<subject>`) and the issuer in brackets,
    e.g. `lan@binhduong.gov.vn [https://sso.binhduong.gov.vn/realms/tinh]`."""
    email = str(claims.get("email") or "").strip().casefold()
    who = email if email and by != "sub" else f"sub:{claims.get('sub') or '?'}"
    issuer = str(claims.get("iss") or claims.get("provider") or "sso")
    return f"{who} [{issuer}]"[:200]


def account_for_identity(
    identities: list[Identity], accounts: Mapping[str, Account], claims: Mapping | None
) -> Account | None:
    """The account a user signed in with the identity provider acts as, or None (view only).

    An `[identities]` entry matching the claims comes first, then an `[analysts]` account with the
    same e-mail (the older layout). Either way the account's user name is the SSO identity, so every
    upload, withdrawal and decision records who at which provider did it."""
    if not claims or not claims.get("sub") and not claims.get("email"):
        return None
    for entry in identities:
        if entry.matches(claims):
            return Account(
                username=sso_identity(claims, "sub" if entry.sub else "email"),
                name=entry.name,
                role=entry.role,
                departments=entry.departments,
                email=entry.email,
            )
    if claims.get("email_verified") is False:
        return None
    legacy = account_for_email(accounts, str(claims.get("email") or "") or None)
    if legacy is None:
        return None
    return replace(legacy, username=sso_identity(claims, "email"), password_hash="")


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
