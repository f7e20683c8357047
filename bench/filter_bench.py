#!/usr/bin/env python3
"""CQL2 filter against bbox on the SYNTHETIC 100,000-block city, and PostGIS with the same WHERE.

    python3 bench/filter_bench.py --base http://127.0.0.1:PORT [--runs 21] [--psql-db DB] [--out FILE]

kvarter must be serving bench/generate_city.py's city (collection "blocks"). Each query asks for
the first 100 features with numberMatched, so the whole layer is filtered every time:

  filter   floors >= 5 AND dwellings < 100 AND built > 1950            (cql2-text)
  bbox     a box of the city's centre holding about as many blocks
  postgis  the same WHERE clause in psql (a private cluster, the city loaded with ogr2ogr in
           EPSG:4326): count(*) and the first 100 rows as GeoJSON, in one statement, timed by
           psql's \\timing (server round trip, no process start)

Prints the medians and p90s (ms) and writes them as JSON to --out. Standard library only.
"""

import argparse
import json
import statistics
import subprocess
import time
import urllib.parse
import urllib.request

FILTER = "floors >= 5 AND dwellings < 100 AND built > 1950"
WHERE = "floors >= 5 AND dwellings < 100 AND built > 1950"
BBOX = "12.52,55.66,12.60,55.70"


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url) as r:
        body = r.read()
    return (time.perf_counter() - start) * 1000, json.loads(body)


def measure_http(base, query, runs):
    url = base + "/collections/blocks/items?limit=100&" + query
    timed_get(url)  # warm
    times, matched = [], None
    for _ in range(runs):
        ms, answer = timed_get(url)
        times.append(ms)
        matched = answer["numberMatched"]
    return times, matched


def measure_postgis(db, runs):
    sql = ("SELECT json_build_object('type','FeatureCollection',"
           "'numberMatched',(SELECT count(*) FROM blocks WHERE {w}),"
           "'features',(SELECT json_agg(ST_AsGeoJSON(t.*)::json) FROM "
           "(SELECT block_id, name, district_no, floors, dwellings, built, green_share, geom FROM blocks "
           "WHERE {w} ORDER BY block_id LIMIT 100) t))::text;").format(w=WHERE)
    script = "\\timing on\n" + "\n".join([sql] * (runs + 1)) + "\n"
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-d", db], input=script, capture_output=True, text=True, check=True)
    times = [float(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("Time: ")][1:]
    first = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    return times, json.loads(first)["numberMatched"]


def summary(times):
    times = sorted(times)
    return {"median_ms": round(statistics.median(times), 2), "p90_ms": round(times[int(0.9 * (len(times) - 1))], 2),
            "runs": len(times)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--psql-db", help="a database (PG* environment) holding the city as table blocks")
    ap.add_argument("--out")
    a = ap.parse_args()

    results = {}
    t, n = measure_http(a.base, "filter=" + urllib.parse.quote(FILTER), a.runs)
    results["kvarter filter (3 comparisons)"] = dict(summary(t), matched=n)
    t, n = measure_http(a.base, "bbox=" + BBOX, a.runs)
    results["kvarter bbox"] = dict(summary(t), matched=n)
    if a.psql_db:
        t, n = measure_postgis(a.psql_db, a.runs)
        results["PostGIS, same WHERE"] = dict(summary(t), matched=n)
    for name, r in results.items():
        print("%-32s median %8.2f ms   p90 %8.2f ms   numberMatched %d" % (name, r["median_ms"], r["p90_ms"], r["matched"]))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump({"filter": FILTER, "bbox": BBOX, "results": results}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
