"""Start the dashboard: `python -m ui.serve run dashboard.py [streamlit options]` (used by `make run`).

Streamlit still treats a folder named pages/ beside the entry script as an old-style multipage app
until the first st.navigation call; on a fresh server the first session's first run then goes through
that old path and can drop its first widget event. We use st.navigation only, so the launcher says so
before the server starts. `streamlit run dashboard.py` works too, with that first-run glitch.

The launcher also refuses to start with the demo account (published password, admin for every
department) unless the server listens on this machine only: `make run` binds 127.0.0.1; with
`make run HOST=0.0.0.0` the secrets must hold real accounts. ui/auth.py refuses the demo sign-in on a
non-local address too, for servers started another way.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_USERNAME = "demo"
EXAMPLE_SECRETS = ROOT / ".streamlit" / "secrets.example.toml"
SSO_EXAMPLE_SECRETS = ROOT / ".streamlit" / "secrets.sso.example.toml"
MIN_COOKIE_SECRET = 32  # characters; `secrets.token_hex(32)` gives 64

COOKIE_REFUSAL = """\
Không khởi động: [auth] cookie_secret trong {path} là chuỗi mẫu hoặc ngắn hơn {n} ký tự, nên ai cũng
có thể giả cookie đăng nhập. Tạo chuỗi mới: python -c "import secrets; print(secrets.token_hex(32))",
đặt vào cookie_secret, rồi chạy lại.

Not starting: [auth] cookie_secret in {path} is the example's placeholder or shorter than {n}
characters, so anyone could forge a sign-in cookie. Make a new one:
python -c "import secrets; print(secrets.token_hex(32))", put it in cookie_secret, and start again.
"""

REFUSAL = """\
Không khởi động: tài khoản minh họa "{user}" (mật khẩu công khai, quyền quản trị mọi đơn vị) chỉ được
dùng khi máy chủ chỉ nghe trên máy này (127.0.0.1), nhưng địa chỉ là "{address}".
Tạo tài khoản thật: chạy `.venv/bin/python -m greengrowth.auth hash`, thêm bảng [analysts.<tên>] vào
.streamlit/secrets.toml (xem README, mục Analyst accounts), xóa bảng [analysts.{user}], rồi chạy lại.
Hoặc chạy trên máy này: `make run` (mặc định 127.0.0.1).

Not starting: the demo account "{user}" (published password, admin for every department) may only be
used while the server listens on this machine alone (127.0.0.1), but the address is "{address}".
Create a real account: run `.venv/bin/python -m greengrowth.auth hash`, add an [analysts.<name>] table
to .streamlit/secrets.toml (see README, "Analyst accounts"), delete [analysts.{user}], and start again.
Or run on this machine only: `make run` (127.0.0.1 by default).
"""


def is_local_address(address: str | None) -> bool:
    """True only for loopback addresses; an empty address means every interface."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def server_address(argv: Sequence[str], env: Mapping[str, str], config: Path) -> str | None:
    """The address Streamlit will bind: command line, then environment, then config.toml."""
    for i, arg in enumerate(argv):
        if arg == "--server.address" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
    if env.get("STREAMLIT_SERVER_ADDRESS"):
        return env["STREAMLIT_SERVER_ADDRESS"]
    address = _toml(config).get("server", {}).get("address")
    return str(address) if address else None


def _published_hashes() -> set[str]:
    analysts = _toml(EXAMPLE_SECRETS).get("analysts", {})
    return {str(a.get("password_hash", "")) for a in analysts.values() if isinstance(a, dict)} - {
        ""
    }


def demo_usernames(analysts: Mapping | None) -> list[str]:
    """Accounts that are the demo account: named "demo", or using a password hash published in
    secrets.example.toml (whose password the README prints)."""
    published = _published_hashes()
    found = []
    for name, entry in (analysts or {}).items():
        hash_ = str(entry.get("password_hash", "")) if isinstance(entry, Mapping) else ""
        if str(name).strip().casefold() == DEMO_USERNAME or hash_ in published:
            found.append(str(name))
    return found


def weak_cookie_secret(auth: object) -> bool:
    """True when [auth] signs sign-in cookies with the published example or a short secret."""
    if not isinstance(auth, Mapping) or "cookie_secret" not in auth:
        return False
    secret = str(auth.get("cookie_secret") or "")
    published = str(_toml(SSO_EXAMPLE_SECRETS).get("auth", {}).get("cookie_secret", ""))
    return len(secret) < MIN_COOKIE_SECRET or secret == published


def secrets_files(argv: Sequence[str], root: Path) -> list[Path]:
    """The secrets files Streamlit will read: `--secrets.files a,b` or its defaults."""
    given = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--secrets.files"]
    given += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--secrets.files=")]
    if given:
        return [
            Path(p.strip()) for value in given for p in value.strip("[]").split(",") if p.strip()
        ]
    return [Path.home() / ".streamlit" / "secrets.toml", root / ".streamlit" / "secrets.toml"]


def startup_refusal(argv: Sequence[str], env: Mapping[str, str], root: Path = ROOT) -> str | None:
    """The message that stops the server, or None when it may start."""
    address = server_address(argv, env, root / ".streamlit" / "config.toml")
    if is_local_address(address):
        return None
    demo = []
    for path in secrets_files(argv, root):
        secrets = _toml(path)
        if weak_cookie_secret(secrets.get("auth")):
            return COOKIE_REFUSAL.format(path=path, n=MIN_COOKIE_SECRET)
        demo += demo_usernames(secrets.get("analysts"))
    if not demo:
        return None
    return REFUSAL.format(
        user=demo[0], address=address or "0.0.0.0 (mọi giao diện / every interface)"
    )


def main(argv: Sequence[str]) -> int:
    refusal = startup_refusal(argv, os.environ, Path.cwd())
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    from loaders import worker

    worker.warm()  # the first upload finds a reader process ready
    from ui import warmup

    warmup.start()  # imports, the store, Plotly's first figure: while the browser loads the page
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", *argv]
    return streamlit_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
