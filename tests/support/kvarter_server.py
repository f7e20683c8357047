"""Starts `kvarter serve` on a free port for the Python tests (Debian's python3 with its own
packages: jsonschema, OWSLib), on a copy of a config whose proposal store lives in a temporary
folder, so no test touches build/proposals.gpkg. Used as a context manager:

    with KvarterServer(binary) as server:
        requests.get(server.url("/collections"))

`store`: another proposals store instead (a "PG:" connection, to run several servers on one);
`log_level`: e.g. "warn", to spare a test under load an access line per request.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE_CONFIG = os.path.join(REPO, "geodata", "sample.json")
# The config keys whose values are paths relative to the config file (as tests/web/server.mjs).
PATH_KEYS = {"source", "members", "tags", "programmes", "tilesets", "styles", "rules", "tokens_file", "web"}


def _absolute_paths(value, base, key=""):
    if isinstance(value, list):
        return [_absolute_paths(v, base, key) for v in value]
    if isinstance(value, dict):
        return {k: _absolute_paths(v, base, k) for k, v in value.items()}
    if not isinstance(value, str) or not value or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) \
            or value.startswith("/vsi") or os.path.isabs(value):
        return value
    resolved = os.path.normpath(os.path.join(base, value))
    if key in PATH_KEYS and os.path.exists(resolved):
        return resolved
    return value


def first_token(config=SAMPLE_CONFIG):
    """The first write token of the config's tokens file ("<token> <name>" lines)."""
    with open(config, encoding="utf-8") as f:
        cfg = json.load(f)
    tokens = os.path.join(os.path.dirname(config), cfg.get("proposals", {}).get("tokens_file", "tokens.example"))
    with open(tokens, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                return line.split()[0]
    raise RuntimeError(f"no token in {tokens}")


class KvarterServer:
    def __init__(self, binary, config=SAMPLE_CONFIG, store=None, log_level="info"):
        self.binary = binary
        self.config = config
        self.store = store
        self.log_level = log_level
        self.base = None
        self.port = None
        self._dir = None
        self._child = None

    def url(self, path):
        return self.base + path

    def __enter__(self):
        self._dir = tempfile.mkdtemp(prefix="kvarter-py-test-")
        with open(self.config, encoding="utf-8") as f:
            cfg = _absolute_paths(json.load(f), os.path.dirname(self.config))
        cfg.setdefault("proposals", {})["store"] = self.store or os.path.join(self._dir, "proposals.gpkg")
        config = os.path.join(self._dir, os.path.basename(self.config))
        with open(config, "w", encoding="utf-8") as f:
            json.dump(cfg, f)
        self._child = subprocess.Popen(
            [self.binary, "serve", "--port", "0", "--address", "127.0.0.1", "--threads", "2", "--config", config,
             "--log-level", self.log_level],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = threading.Event()
        seen = []

        def read():
            for line in self._child.stdout:
                seen.append(line)
                m = re.search(r"serving .* at (http://[^/\s]+)/", line)
                if m and not found.is_set():
                    self.base = m.group(1)
                    self.port = int(self.base.rsplit(":", 1)[1])
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(120):
            self.__exit__(None, None, None)
            raise RuntimeError("kvarter did not start in 120 s:\n" + "".join(seen))
        return self

    def kill_9(self):
        """SIGKILL: no shutdown code runs, its sockets close as the kernel drops them."""
        self._child.kill()
        self._child.wait(30)

    def __exit__(self, *exc):
        if self._child and self._child.poll() is None:
            self._child.terminate()
            try:
                self._child.wait(30)
            except subprocess.TimeoutExpired:
                self._child.kill()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
        return False
