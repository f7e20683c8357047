#!/usr/bin/env bash
# scripts/pg-cluster start: a step failing after the server started leaves no server and no folder
# behind, and says so with a non-zero exit (which scripts/test turns into a failed run).
set -uo pipefail
root="${1:?usage: pg_cluster_test.sh REPO}"
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || { echo "no PostgreSQL installed: skipped"; exit 77; }
tmp=$(mktemp -d)
before=$(pgrep -fc "postgres -D $tmp/" || true)
out=$(TMPDIR="$tmp" KVARTER_PG_CLUSTER_FAIL_AFTER_START=1 "$root/scripts/pg-cluster" start 2>&1)
rc=$?
left=$(ls -A "$tmp")
running=$(pgrep -fc "$tmp/kvarter-pg" || true)
rm -rf "$tmp"
[ "$rc" -ne 0 ] || { echo "FAIL: start reported success: $out"; exit 1; }
[ -z "$left" ] || { echo "FAIL: left behind: $left"; exit 1; }
[ "$running" = "0" ] || { echo "FAIL: a PostgreSQL server is still running ($running, before: $before)"; exit 1; }
# scripts/test's way of reading the start: a failed start must fail it.
went_on=$(TMPDIR=/nonexistent-dir-for-test bash -c 'set -euo pipefail
pg_env=$("$1/scripts/pg-cluster" start 2>/dev/null) || exit 1
echo reached' _ "$root")
if [ "$went_on" = reached ]; then
  echo "FAIL: scripts/test's start line went on after a failed start"; exit 1
fi
echo "ok: exit $rc, nothing left running"
