"""A fresh PostGIS database for one Python test, copied from the template that KVARTER_TEST_PG
names (scripts/test starts a private cluster with scripts/pg-cluster and sets it), dropped at the
end. The C++ tests do the same in tests/proposals/proposals_support.cpp. Used as a context manager:

    with PgDatabase() as db:
        KvarterServer(binary, store=db.connection)
"""
import os
import re
import subprocess
import time


def pg_template():
    """KVARTER_TEST_PG ("PG:host=… port=… dbname=… user=…"), or None when unset."""
    return os.environ.get("KVARTER_TEST_PG") or None


class PgDatabase:
    def __init__(self, prefix="kvpy"):
        base = pg_template()
        m = re.search(r"dbname=(\S+)", base or "")
        if not base or not base.startswith("PG:") or not m:
            raise RuntimeError(f"KVARTER_TEST_PG must look like PG:host=… port=… dbname=… user=…, got {base!r}")
        self._template = m.group(1)
        self._admin = re.sub(r"dbname=\S+", "dbname=postgres", base[3:])
        self.name = f"{prefix}_{os.getpid()}"
        self.connection = re.sub(r"dbname=\S+", f"dbname={self.name}", base)

    def _psql(self, sql):
        return subprocess.run(["psql", self._admin, "-v", "ON_ERROR_STOP=1", "-qc", sql],
                              capture_output=True, text=True)

    def __enter__(self):
        # Two tests copying the template at the same moment collide ("source database is being
        # accessed by other users"): try again a few times.
        for attempt in range(10):
            r = self._psql(f"CREATE DATABASE {self.name} TEMPLATE {self._template}")
            if r.returncode == 0:
                return self
            time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"cannot create the test database {self.name}: {r.stderr}")

    def __exit__(self, *exc):
        self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        return False
