"""Analyst sign-in: accounts from st.secrets["analysts"] (bcrypt hashes), or st.login when an OIDC
provider is configured in [auth]. Viewing needs no account; uploading, correcting and withdrawing do.

The signed-in user name lives in st.session_state; the account itself is looked up in the secrets on
every run, so removing an account from secrets.toml takes effect at once. A user signed in with the
identity provider gets the role of their st.secrets["identities"] entry (greengrowth.auth), acts
under their SSO identity, and without an entry is signed in but may only view.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

import duckdb
import streamlit as st

from greengrowth import signin, store
from greengrowth.auth import (
    Account,
    AccountError,
    Identity,
    account_for_identity,
    authenticate,
    load_accounts,
    load_identities,
    sso_identity,
)
from greengrowth.i18n import t
from greengrowth.store import StoreError
from greengrowth.text import literal

SESSION_KEY = "analyst_user"
SSO_RECORDED_KEY = "sso_signin_recorded"  # the identity whose sign-in this session has logged
_SEEN_SIGNINS: set[tuple[str, str]] = set()  # (identity, ID token iat) logged by this process
_SEEN_LOCK = threading.Lock()

log = logging.getLogger(__name__)


def _plain(value):
    """st.secrets tables as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _secret(name: str):
    try:
        return _plain(st.secrets.get(name))
    except Exception:  # no secrets file at all: nobody can sign in, viewing still works
        return None


def accounts() -> dict[str, Account]:
    """The configured analyst accounts; raises AccountError for a malformed secrets entry."""
    return load_accounts(_secret("analysts"))


def _safe_accounts() -> dict[str, Account]:
    try:
        return accounts()
    except AccountError:
        log.exception("analyst accounts in secrets are malformed")
        return {}


def _oidc_providers() -> list[str | None]:
    """Providers for st.login: [None] for a single [auth] provider, else the named sub-tables."""
    auth = _secret("auth")
    if not isinstance(auth, dict):
        return []
    if auth.get("client_id"):
        return [None]
    return [name for name, value in auth.items() if isinstance(value, dict)]


def identities() -> list[Identity]:
    """The configured SSO identities; raises AccountError for a malformed secrets entry."""
    return load_identities(_secret("identities"), accounts())


def _sso_claims() -> dict | None:
    """The claims of a user signed in with the identity provider (st.user), else None."""
    if not _oidc_providers():
        return None
    try:
        return st.user.to_dict() if st.user.is_logged_in else None
    except Exception:
        return None


def _sso_account(claims: dict) -> Account | None:
    try:
        mapped = identities()
    except AccountError:
        log.exception("SSO identities in secrets are malformed; SSO users may only view")
        mapped = []
    return account_for_identity(mapped, _safe_accounts(), claims)


def _config_problem() -> str | None:
    try:
        identities()
    except AccountError as exc:
        return str(exc)
    return None


def _record_sso(identity: str, outcome: str) -> None:
    try:
        with store.connect() as con:
            signin.record_sso(con, identity, outcome)
    except (StoreError, duckdb.Error):
        log.exception("SSO %s of %s could not be recorded", outcome, identity)


def _note_sso_signin(identity: str, claims: dict) -> None:
    """Log an identity-provider sign-in once: Streamlit sees each browser session that arrives with
    the sign-in cookie, not the provider's redirect itself, so a sign-in is known by its ID token's
    issue time (`iat`) and logged once per server process, not once per tab or page load."""
    if st.session_state.get(SSO_RECORDED_KEY) == identity:
        return
    st.session_state[SSO_RECORDED_KEY] = identity
    issued = str(claims.get("iat") or "")
    if issued:
        with _SEEN_LOCK:
            if (identity, issued) in _SEEN_SIGNINS:
                return
            if len(_SEEN_SIGNINS) > 10_000:  # bounded: at worst a sign-in is logged twice
                _SEEN_SIGNINS.clear()
            _SEEN_SIGNINS.add((identity, issued))
    _record_sso(identity, "ok")


def sso_identity_now() -> str | None:
    """The identity recorded for the user signed in with the identity provider, else None."""
    claims = _sso_claims()
    if claims is None:
        return None
    account = _sso_account(claims)
    return account.username if account else sso_identity(claims)


def current_user() -> Account | None:
    """The signed-in analyst, or None for a visitor and for an SSO identity with no mapping."""
    known = _safe_accounts()
    username = st.session_state.get(SESSION_KEY)
    if username and username in known and not _demo_refused(username):
        return known[username]
    claims = _sso_claims()
    if claims is None:
        return None
    account = _sso_account(claims)
    _note_sso_signin(account.username if account else sso_identity(claims), claims)
    return account


def _demo_refused(username: str) -> bool:
    """The demo account (its password is published) works only on this machine: the server listens
    on a loopback address and the request comes from it, not through a proxy. ui/serve.py refuses to
    start otherwise; this covers servers started another way, or behind a reverse proxy."""
    from streamlit.runtime import Runtime

    from ui.serve import demo_usernames, is_local_address

    if username not in {n.strip().casefold() for n in demo_usernames(_secret("analysts"))}:
        return False
    address = st.get_option("server.address")
    serving = type(Runtime.instance() if Runtime.exists() else None) is Runtime  # not AppTest
    if not is_local_address(address) and (address or serving):
        return True
    proxy_headers = {"x-forwarded-for", "forwarded", "x-real-ip"}
    forwarded = {str(k).lower() for k in st.context.headers} & proxy_headers
    return isinstance(st.context.ip_address, str) or bool(forwarded)  # AppTest's client is a mock


def require_analyst(lang: str) -> Account:
    """The signed-in analyst; for a visitor, explain and offer the sign-in form, then stop."""
    user = current_user()
    if user is not None:
        return user
    claims = _sso_claims()
    if claims is not None:  # signed in at the provider, but this identity has no rights here
        problem = _config_problem()
        if problem:
            st.error(t("auth.bad_config", lang, detail=problem))
        _sso_view_only(lang, claims)
        st.stop()
    st.warning(t("auth.required", lang), icon=":material/lock:")
    _sign_in_form(lang, "main")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _attempt(username: str, outcome: str | None = None) -> int:
    """Record an attempt (outcome given) or ask how long this user name must wait (seconds).

    Counted in the store per user name (greengrowth.signin), so a new browser session does not reset
    it; a store that cannot be opened refuses the attempt rather than skip the count."""
    try:
        with store.connect() as con:
            if outcome is None:
                return signin.wait_seconds(con, username)
            signin.record(con, username, outcome)
            return 0
    except (StoreError, duckdb.Error):
        log.exception("sign-in attempts could not be counted")
        return 60


def _sign_in_form(lang: str, where: str) -> None:
    with st.form(f"signin_{where}"):
        username = st.text_input(t("auth.username", lang), key=f"signin_{where}_user")
        password = st.text_input(
            t("auth.password", lang), type="password", key=f"signin_{where}_password"
        )
        submitted = st.form_submit_button(
            t("auth.sign_in", lang), type="primary", icon=":material/login:"
        )
    if submitted:
        wait = _attempt(username)
        if wait:
            _attempt(username, "locked")
            st.error(t("auth.locked", lang, minutes=max(1, round(wait / 60))))
            return
        try:
            known = accounts()
        except AccountError as exc:
            st.error(t("auth.bad_config", lang, detail=str(exc)))
            return
        account = authenticate(known, username, password)
        if account is None:
            _attempt(username, "failed")
            st.error(t("auth.failed", lang))
            return
        if _demo_refused(account.username):
            st.error(t("auth.demo_refused", lang))
            return
        _attempt(account.username, "ok")
        st.session_state[SESSION_KEY] = account.username
        st.rerun()
    for provider in _oidc_providers():
        label = (  # one provider needs no name; "SSO" is no Vietnamese word
            t("auth.sign_in_sso", lang, provider=provider)
            if provider
            else t("auth.sign_in_sso_single", lang)
        )
        if st.button(label, key=f"sso_{where}_{provider}", icon=":material/key:"):
            if provider:
                st.login(provider)
            else:
                st.login()


def _who(claims: dict) -> str:
    """The provider's name for the user, as literal Markdown (it is typed at the provider)."""
    return literal(claims.get("name") or claims.get("email") or claims.get("sub") or "?")


def _code(identity: str) -> str:
    """An identity as a code span: shown exactly, never turned into links."""
    return "`" + identity.replace("`", "'") + "`"


def _sso_view_only(lang: str, claims: dict) -> None:
    """Who is signed in, what is recorded for them, and that they may only view."""
    st.info(
        t("auth.sso_signed_in", lang, who=_who(claims))
        + "  \n"
        + t("auth.sso_recorded_as", lang, identity=_code(sso_identity(claims)))
        + "  \n"
        + t("auth.sso_view_only", lang),
        icon=":material/visibility:",
    )


def _sign_out() -> None:
    """Sign out of this app (and of the provider's session cookie), recording it in the log."""
    username = st.session_state.pop(SESSION_KEY, None)
    if username:
        _attempt(username, "signout")
    identity = sso_identity_now()
    if identity:
        _record_sso(identity, "signout")
        st.session_state.pop(SSO_RECORDED_KEY, None)
        st.logout()  # queues the browser's redirect to /auth/logout (then the provider)
        # Not st.rerun(): a new run empties the queue of messages not yet sent, and the redirect
        # was lost whenever the rerun started first (seen under load). Ending this run sends it.
        st.stop()
    st.rerun()


def sidebar_account(lang: str) -> None:
    """The account box in the sidebar: who is signed in and a sign-out button, or a sign-in form."""
    with st.sidebar:
        st.divider()
        user = current_user()
        if user is not None:
            scope = (
                t("auth.scope_all", lang)
                if user.is_admin or "*" in user.departments
                else ", ".join(user.departments)
            )
            if user.username == sso_identity_now():  # signed in with the identity provider
                st.markdown(t("auth.sso_signed_in", lang, who=literal(user.name)))
                st.caption(t("auth.sso_recorded_as", lang, identity=_code(user.username)))
            else:
                st.markdown(t("auth.signed_in_as", lang, name=user.name, username=user.username))
            if user.role == "reviewer":  # the reporting cycle: reviews every report, uploads none
                st.caption(t("auth.scope_reviewer", lang))
            else:
                st.caption(t("auth.scope", lang, departments=scope))
            if st.button(t("auth.sign_out", lang), key="signout", icon=":material/logout:"):
                _sign_out()
            return
        claims = _sso_claims()
        if claims is not None:  # signed in with SSO, but no identity entry maps it: view only
            st.markdown(t("auth.sso_signed_in", lang, who=_who(claims)))
            st.caption(t("auth.sso_recorded_as", lang, identity=_code(sso_identity(claims))))
            st.caption(t("auth.sso_view_only", lang))
            if st.button(t("auth.sign_out", lang), key="signout_sso", icon=":material/logout:"):
                _sign_out()
            return
        with st.expander(t("auth.sign_in_title", lang), icon=":material/person:"):
            _sign_in_form(lang, "sidebar")
