"""Debian's nginx as a load balancer in front of kvarter processes, for the deploy tests: the
config is tests/deploy/nginx.conf with its placeholders filled in, in a private folder (prefix,
pid, logs, temp paths) on a free port, so it needs no root and leaves nothing behind.

    with NginxBalancer([port_a, port_b]) as lb:
        urllib.request.urlopen(lb.url("/health"))
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

TEMPLATE = os.path.join(os.path.dirname(__file__), "..", "deploy", "nginx.conf")


def nginx_binary():
    """The nginx to run, or None: Debian puts it in /usr/sbin, which may not be on PATH."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxBalancer:
    def __init__(self, upstream_ports):
        if len(upstream_ports) != 2:
            raise ValueError("tests/deploy/nginx.conf names two upstream processes")
        self.upstream_ports = upstream_ports
        self.port = None
        self._dir = None
        self._child = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def error_log(self):
        with open(os.path.join(self._dir, "error.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def __enter__(self):
        binary = nginx_binary()
        if not binary:
            raise RuntimeError("nginx is not installed (scripts/test installs nginx-light)")
        self._dir = tempfile.mkdtemp(prefix="kvarter-nginx-")
        with open(TEMPLATE, encoding="utf-8") as f:
            template = f.read()
        # A port can be taken between choosing and binding it: try a few.
        for _ in range(5):
            self.port = free_port()
            conf = (template.replace("@DIR@", self._dir).replace("@PORT@", str(self.port))
                    .replace("@PORT_A@", str(self.upstream_ports[0])).replace("@PORT_B@", str(self.upstream_ports[1]))
                    # As root, the workers would be "nobody", who may not enter the temporary folder.
                    .replace("@USER@", "user root;" if os.getuid() == 0 else ""))
            path = os.path.join(self._dir, "nginx.conf")
            with open(path, "w", encoding="utf-8") as f:
                f.write(conf)
            # -e: the error log before the config is read; else nginx opens /var/log/nginx/error.log.
            self._child = subprocess.Popen([binary, "-p", self._dir, "-c", path, "-e", os.path.join(self._dir, "error.log")],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_until_it_answers():
                return self
        log = self.error_log()
        self.__exit__(None, None, None)
        raise RuntimeError("nginx did not start:\n" + log)

    def _wait_until_it_answers(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._child.poll() is not None:
                return False
            try:
                urllib.request.urlopen(self.url("/health"), timeout=5).read()
                return True
            except urllib.error.HTTPError:
                return True  # nginx answers; what the processes say is the test's business
            except OSError:
                time.sleep(0.05)
        return False

    def __exit__(self, *exc):
        if self._child and self._child.poll() is None:
            self._child.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self._child.wait(30)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
        return False
