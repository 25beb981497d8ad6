"""Run the provider as a subprocess (``runserver`` on a free port, its own SQLite file) for as
long as a test needs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "disp-case-manager"
CLIENT_SECRET = "provider-test-secret-" + "s" * 20


@dataclass(frozen=True)
class Provider:
    url: str  # http://127.0.0.1:<port>

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oidc_provider(
    workdir: Path, *, redirect_uris: list[str], users: list[dict]
) -> Iterator[Provider]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider_project.settings",
        "OIDC_SITE_URL": url,
        "OIDC_DB_PATH": str(workdir / "oidc-provider.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider_project.bootstrap",
            CLIENT_ID,
            CLIENT_SECRET,
            ",".join(redirect_uris),
            json.dumps(users),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = (workdir / "oidc-provider.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        discovery = f"{url}/openid/.well-known/openid-configuration"
        for _ in range(100):
            try:
                urllib.request.urlopen(discovery, timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((workdir / "oidc-provider.log").read_text()) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the OpenID Connect provider did not start")
        yield Provider(url)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
