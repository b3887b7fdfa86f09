"""A real OpenID Connect provider on loopback for the single sign-on tests: panva's certified
`oidc-provider`, run with Node from tools/oidc-provider (pinned by its package-lock.json).

`provider_missing()` says why it cannot run here (no Node, or its packages could not be
installed from the npm registry); `run_provider()` starts one and yields its issuer URL.
"""

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import PROJECT_ROOT

TOOL = PROJECT_ROOT / "tools" / "oidc-provider"
READY_TIMEOUT = 30


def provider_missing() -> str | None:
    """Why the provider cannot run on this machine, or None when it can."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "Node.js and npm are not installed (apt-get install nodejs npm)"
    if not (TOOL / "node_modules" / "oidc-provider").is_dir():
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=TOOL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if installed.returncode != 0:
            return f"npm ci in {TOOL} failed: {installed.stderr.strip()[-300:]}"
    return None


@contextmanager
def run_provider(clients: list[dict], accounts: list[dict]) -> Iterator[str]:
    """Start a provider with these clients and accounts (tools/oidc-provider/README.md);
    yield its issuer URL, and stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as folder:
        config = Path(folder) / "config.json"
        config.write_text(json.dumps({"clients": clients, "accounts": accounts}))
        stderr = Path(folder) / "stderr.log"
        with stderr.open("w") as errors:
            process = subprocess.Popen(
                ["node", str(TOOL / "server.mjs"), str(config)],
                cwd=TOOL,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        try:
            issuer = _wait_until_ready(process, stderr)
            yield issuer
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen, stderr: Path) -> str:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                found.append(line.split(" ", 1)[1].strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(READY_TIMEOUT)
    if not found:
        process.kill()
        raise RuntimeError(f"the OpenID Connect provider did not start: {stderr.read_text()}")
    return found[0]
