"""The deployment examples in docs/deploy/ (README "Running for many users") parse and say what matters:
sticky sessions and websocket upgrade in nginx, the PostgreSQL store and shared originals in systemd.
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from greengrowth import store

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "docs" / "deploy"


def nginx_blocks(text: str) -> dict:
    """A small parser for nginx syntax: {name args: [directives or nested blocks]}; raises on errors."""
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", re.sub(r"#[^\n]*", "", text))
    root: list = []
    stack = [root]
    words: list[str] = []
    for tok in tokens:
        if tok == "{":
            block: list = []
            stack[-1].append((" ".join(words), block))
            stack.append(block)
            words = []
        elif tok == "}":
            assert not words, f"directive without ';' before '}}': {words}"
            stack.pop()
            assert stack, "unbalanced '}'"
        elif tok == ";":
            assert words, "empty directive"
            stack[-1].append(" ".join(words))
            words = []
        else:
            words.append(tok)
    assert len(stack) == 1 and not words, "unclosed block or missing ';'"
    return {"": root}


def _find(block: list, name: str) -> list:
    return [b for b in block if isinstance(b, tuple) and b[0].startswith(name)]


def test_nginx_example_has_sticky_sessions_and_websocket_upgrade(tmp_path):
    text = (DEPLOY / "nginx-greengrowth.conf").read_text()
    root = nginx_blocks(text)[""]
    (_, upstream), = _find(root, "upstream greengrowth")  # fmt: skip
    assert "ip_hash" in upstream or any(d.startswith("hash ") for d in upstream)
    assert len([d for d in upstream if isinstance(d, str) and d.startswith("server ")]) >= 2
    (_, server), = _find(root, "server")  # fmt: skip
    (_, location), = _find(server, "location /")  # fmt: skip
    for needed in ("proxy_pass http://greengrowth", "proxy_http_version 1.1",
                   "proxy_set_header Upgrade $http_upgrade",
                   "proxy_set_header Connection $connection_upgrade"):  # fmt: skip
        assert needed in location, needed
    assert any(d.startswith("client_max_body_size") for d in server if isinstance(d, str))
    nginx = shutil.which("nginx")
    if nginx:  # where nginx is installed, it checks the file too
        conf = tmp_path / "nginx.conf"
        conf.write_text(
            f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
            f"events {{}}\nhttp {{ access_log off; include {DEPLOY / 'nginx-greengrowth.conf'}; }}\n"
        )
        done = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)],
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert done.returncode == 0, done.stderr


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text())
    return parser


def _environment(name: str) -> dict[str, str]:
    """Every Environment= line (configparser keeps only the last of repeated keys)."""
    lines = re.findall(r"^Environment=(.*)$", (DEPLOY / name).read_text(), flags=re.MULTILINE)
    return dict(line.split("=", 1) for line in lines)


def test_systemd_units_run_the_app_and_the_backup_on_postgresql():
    app = _unit("greengrowth@.service")
    assert {"Unit", "Service", "Install"} <= set(app.sections())
    env = _environment("greengrowth@.service")
    assert store.postgres_url(env["GG_DB"]) == env["GG_DB"]
    assert env["GG_FILES"].startswith("/") and env["GG_NO_DEMO"] == "1"
    command = shlex.split(app.get("Service", "ExecStart"))
    assert command[1:5] == ["-m", "ui.serve", "run", "dashboard.py"]
    assert "%i" in command and (ROOT / "ui" / "serve.py").is_file()
    backup = _unit("greengrowth-backup.service")
    assert "loaders backup -o" in backup.get("Service", "ExecStart")
    assert store.postgres_url(_environment("greengrowth-backup.service")["GG_DB"])
    timer = _unit("greengrowth-backup.timer")
    assert timer.get("Timer", "OnCalendar")


def test_readme_points_at_the_examples():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running for many users", 1)[1].split("\n## ", 1)[0]
    for name in ("nginx-greengrowth.conf", "greengrowth@.service", "GG_DB=postgresql://"):
        assert name in section, name
