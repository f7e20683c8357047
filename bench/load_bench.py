#!/usr/bin/env python3
"""Load to first answer: how long `kvarter serve` takes from start until /health answers 200,
and its peak memory then, for each config, over several runs (medians; the machine is shared).

    python3 bench/load_bench.py [--runs N] [--out FILE] CONFIG...

Each run starts build/kvarter serve on a free port, polls /health every 10 ms, reads VmHWM
(peak RSS) from /proc once it answers, and stops the server. Also times `kvarter check`, which
loads the same way and prints the report. Writes a Markdown table to --out (default: print only).
"""
import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KVARTER = os.path.join(ROOT, "build", "kvarter")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def serve_once(config):
    port = free_port()
    start = time.monotonic()
    proc = subprocess.Popen([KVARTER, "serve", "--config", config, "--port", str(port), "--address", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                sys.exit("load_bench: kvarter exited with %d on %s" % (proc.returncode, config))
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - start > 120:
                sys.exit("load_bench: no answer in 120 s on %s" % config)
            time.sleep(0.01)
        elapsed = time.monotonic() - start
        return elapsed, peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait()


def check_once(config):
    start = time.monotonic()
    subprocess.run([KVARTER, "check", "--config", config], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out")
    ap.add_argument("configs", nargs="+")
    args = ap.parse_args()
    rows = []
    for config in args.configs:
        serve = [serve_once(config) for _ in range(args.runs)]
        check = [check_once(config) for _ in range(args.runs)]
        times = [t for t, _ in serve]
        row = (config, statistics.median(times), min(times), max(times), statistics.median(r for _, r in serve),
               statistics.median(check))
        rows.append(row)
        print("%s: first answer after %.2f s (median of %d; %.2f–%.2f), peak RSS %.0f MB; check %.2f s" %
              (row[0], row[1], args.runs, row[2], row[3], row[4], row[5]))
    if args.out:
        lines = ["# Load to first answer", "",
                 "`python3 bench/load_bench.py --runs %d %s`, %s, %d cores (%s), %s. Medians of %d runs; the "
                 "machine is shared, so other jobs may have run beside these." %
                 (args.runs, " ".join(args.configs), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                  os.cpu_count(), platform.processor() or platform.machine(), platform.platform(), args.runs), "",
                 "| config | serve: start to first /health 200 (median) | min–max | peak RSS | `kvarter check` |",
                 "|---|---|---|---|---|"]
        for c, med, lo, hi, rss, chk in rows:
            lines.append("| `%s` | %.2f s | %.2f–%.2f s | %.0f MB | %.2f s |" % (c, med, lo, hi, rss, chk))
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
