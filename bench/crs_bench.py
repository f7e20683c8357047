#!/usr/bin/env python3
"""Items in another CRS: what crs= costs over CRS84 (OGC API – Features Part 2), on the real city.

    python3 bench/crs_bench.py [--rounds N] [--requests N] [--out FILE]

Starts build/kvarter serve on the default config, then per round asks pages of 100 housing
departments (polygons) once per offered CRS in turn, on one keep-alive connection, and takes each
CRS's median time per request; prints and writes (--out) the medians over the rounds and their
ratio to CRS84. The CRSs the load already made geometry in (the analysis CRS, Web Mercator) are
written from it; the others are transformed once per request.
"""
import argparse
import http.client
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_bench import KVARTER, free_port  # noqa: E402

CRSES = [
    ("CRS84", ""),
    ("EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326"),
    ("EPSG:25832", "http://www.opengis.net/def/crs/EPSG/0/25832"),
    ("EPSG:3857", "http://www.opengis.net/def/crs/EPSG/0/3857"),
]


def median_ms(conn, crs, requests):
    times = []
    for i in range(requests):
        target = "/collections/housing-departments/items?limit=100&offset=%d" % ((i * 37) % 400)
        if crs:
            target += "&crs=" + crs
        start = time.perf_counter()
        conn.request("GET", target)
        reply = conn.getresponse()
        reply.read()
        if reply.status != 200:
            sys.exit("crs_bench: %s answered %d" % (target, reply.status))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--out")
    args = ap.parse_args()
    port = free_port()
    proc = subprocess.Popen([KVARTER, "serve", "--port", str(port), "--address", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        median_ms(conn, "", 50)  # warm-up
        results = {name: [] for name, _ in CRSES}
        for _ in range(args.rounds):
            for name, uri in CRSES:
                results[name].append(median_ms(conn, uri, args.requests))
    finally:
        proc.terminate()
        proc.wait()
    base = statistics.median(results["CRS84"])
    lines = ["# Items in another CRS (`scripts/bench crs`)", "",
             "Pages of 100 housing departments of the real city over one keep-alive connection; per CRS the",
             "median of %d rounds of the median of %d requests. Machine: %s, %d cores, shared." % (
                 args.rounds, args.requests, platform.node(), os.cpu_count()), "",
             "| crs | ms per page | ÷ CRS84 |", "|---|---|---|"]
    for name, _ in CRSES:
        m = statistics.median(results[name])
        lines.append("| %s | %.2f | %.2f× |" % (name, m, m / base))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
