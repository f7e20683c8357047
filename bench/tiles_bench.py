#!/usr/bin/env python3
"""Helpers of `scripts/bench tiles` (Python 3 standard library only).

    free-port                        print a free TCP port on 127.0.0.1
    config SRC OUT --cache-bytes N   copy a kvarter config with absolute paths and a tile cache size
    pick --out LIST DIR...           a seeded list of tiles z10-16 present in every export folder
    cold ...                         time every tile of the list through kvarter's HTTP API
    warm ...                         request every tile once (fills kvarter's cache)
    postgis ...                      make one SQL tile function per dataset and time ST_AsMVT per tile
    wrk FILE                         parse wrk --latency output into JSON
    report ...                       the tables, the ratios and bench/RESULTS.md

The scripts/bench driver starts and stops the servers; this file only talks to them.
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import zlib

ZOOMS = range(10, 17)


# ---------------------------------------------------------------- small things

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p99(values):
    """Nearest-rank 99th percentile: the maximum when there are fewer than 100 values."""
    v = sorted(values)
    return v[max(0, math.ceil(0.99 * len(v)) - 1)]


def read_list(path):
    tiles = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tiles.append(tuple(int(p) for p in parts))
    return tiles


def write_json(path, data):
    with open(path + ".partial", "w") as f:
        json.dump(data, f, indent=1)
    os.replace(path + ".partial", path)


# ---------------------------------------------------------------- MVT decoding (layers and feature counts)

def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        if c < 0x80:
            return r, i
        s += 7


def _fields(b):
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 2:
            length, i = _varint(b, i)
            v = b[i:i + length]
            i += length
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("bad wire type %d" % wt)
        yield f, wt, v


def mvt_layers(data):
    """{layer name: number of features} of one tile."""
    out = {}
    for f, wt, v in _fields(memoryview(data)):
        if f == 3 and wt == 2:
            name, count = "?", 0
            for g, wt2, w in _fields(v):
                if g == 1 and wt2 == 2:
                    name = bytes(w).decode()
                elif g == 2 and wt2 == 2:
                    count += 1
            out[name] = out.get(name, 0) + count
    return out


def save_tile(root, tile, data):
    if not root:
        return
    z, x, y = tile
    d = os.path.join(root, str(z), str(x))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "%d.mvt" % y), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- commands

def cmd_config(a):
    with open(a.src) as f:
        cfg = json.load(f)
    base = os.path.dirname(os.path.abspath(a.src))

    def absolute(v):
        # Every string that names a file or folder relative to the config (sources, tilesets, styles,
        # whatever else the config grows) becomes absolute, so the copy loads from anywhere; ids,
        # titles and GDAL connection strings name nothing there and stay as they are.
        if isinstance(v, dict):
            return {k: absolute(x) for k, x in v.items()}
        if isinstance(v, list):
            return [absolute(x) for x in v]
        if isinstance(v, str) and v and len(v) < 300 and not os.path.isabs(v) and "://" not in v:
            candidate = os.path.normpath(os.path.join(base, v))
            if os.path.exists(candidate):
                return candidate
        return v

    cfg = absolute(cfg)
    cfg.setdefault("server", {})["tile_cache_bytes"] = a.cache_bytes
    if "proposals" in cfg:
        # An empty store of the benchmark's own: ST_AsMVT has no proposals to draw either.
        store = os.path.join(os.path.dirname(os.path.abspath(a.out)), "proposals-%s.gpkg" % os.path.basename(a.out))
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        cfg["proposals"]["store"] = store
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(cfg, f, indent=1, ensure_ascii=False)


def cmd_pick(a):
    rng = random.Random(a.seed)
    lines = []
    for z in range(a.minzoom, a.maxzoom + 1):
        common = None
        for d in a.dirs:
            here = set()
            zdir = os.path.join(d, str(z))
            if os.path.isdir(zdir):
                for x in os.listdir(zdir):
                    for name in os.listdir(os.path.join(zdir, x)):
                        if name.endswith(".mvt") and os.path.getsize(os.path.join(zdir, x, name)) > 0:
                            here.add((z, int(x), int(name[:-4])))
            common = here if common is None else common & here
        chosen = sorted(rng.sample(sorted(common), min(a.per_zoom, len(common))))
        lines += ["%d %d %d" % t for t in chosen]
        print("pick: z%d %d of %d tiles with data in every dataset" % (z, len(chosen), len(common)))
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")


class client:
    """One keep-alive HTTP/1.1 connection (http.client); no Accept-Encoding, so raw MVT comes back."""

    def __init__(self, base):
        m = re.match(r"http://([^:/]+):(\d+)(/.*)?$", base)
        self.host, self.port, self.prefix = m.group(1), int(m.group(2)), (m.group(3) or "").rstrip("/")
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get(self, path):
        t0 = time.perf_counter()
        self.conn.request("GET", self.prefix + path)
        r = self.conn.getresponse()
        body = r.read()
        ms = (time.perf_counter() - t0) * 1000
        return r.status, body, ms


def gzip_ms(body):
    """What gzipping these bytes costs: kvarter gzips every tile it renders (level 6, zlib), and so
    does this, with the same library and level; median of 3."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        z = zlib.compressobj(6, zlib.DEFLATED, 31)
        z.compress(body)
        z.flush()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def tile_path(t):
    return "/tiles/default/%d/%d/%d.mvt" % t


def cmd_cold(a):
    tiles = read_list(a.list)
    c = client(a.base)
    # The floor of this measurement: a tiny request through the same client and server.
    base_ms = []
    for _ in range(50):
        status, _, ms = c.get("/health")
        base_ms.append(ms)
    out = {"tiles": tiles, "http_floor_ms": statistics.median(base_ms), "runs": [], "bytes": [], "layers": [],
           "status": [], "export_mismatch": [], "gzip_ms": []}
    # Pass 0, untimed: status, bytes, layers; compared with the file `kvarter export` wrote.
    for t in tiles:
        status, body, _ = c.get(tile_path(t))
        out["status"].append(status)
        out["bytes"].append(len(body))
        out["layers"].append(mvt_layers(body) if status == 200 else {})
        out["gzip_ms"].append(gzip_ms(body) if body else 0.0)
        save_tile(a.tiles_dir, t, body)
        if a.export_dir:
            f = os.path.join(a.export_dir, "%d/%d/%d.mvt" % t)
            exported = open(f, "rb").read() if os.path.exists(f) else b""
            if exported != body:
                out["export_mismatch"].append(list(t))
    for run in range(a.runs):
        times = []
        for t in tiles:
            status, body, ms = c.get(tile_path(t))
            if status != 200:
                sys.exit("cold: %s answered %d" % (tile_path(t), status))
            times.append(ms)
        out["runs"].append(times)
        print("cold kvarter %s run %d: %.0f ms for %d tiles" % (a.name, run + 1, sum(times), len(times)), flush=True)
    write_json(a.out, out)


def cmd_warm(a):
    c = client(a.base)
    bad = 0
    for t in read_list(a.list):
        status, _, _ = c.get(tile_path(t))
        bad += status != 200
    if bad:
        sys.exit("warm: %d tiles did not answer 200" % bad)


def psql(sql, *extra, stderr=False):
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", *extra], input=sql,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("psql failed: " + r.stderr.strip())
    return (r.stdout, r.stderr) if stderr else r.stdout


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def literal(s):
    return "'" + s.replace("'", "''") + "'"


# The flags kvarter adds per role (tile_renderer.cpp add_highlights), written as SQL over the
# loaded columns so that ST_AsMVT encodes as many properties as kvarter does. Approximations of
# the values (e.g. "in a renewal zone" for "in an active renewal zone"); the cost is the point.
def highlight_columns(role, cols, year):
    def status(prefix):
        start = "start_year" if "start_year" in cols else "NULL::int"
        end = "end_year" if "end_year" in cols else "NULL::int"
        return ("CASE WHEN %d < %s THEN 'planned' WHEN %d > %s THEN 'finished' ELSE 'active' END AS %s_status"
                % (year, start, year, end, prefix))

    out = []
    if role == "deprived_area":
        return ["true AS deprived"]
    if role == "renewal_zone":
        out.append(status("renewal"))
    if role == "green_team":
        out.append(status("green_team"))
    if role in ("district", "none"):
        return out
    out.append("(%s IS NOT NULL) AS in_deprived_area" % ("deprived_area" if "deprived_area" in cols else "NULL"))
    if role != "renewal_zone":
        out.append("(%s IS NOT NULL) AS renewal_active" % ("renewal_zone" if "renewal_zone" in cols else "NULL"))
    if role != "green_team":
        out.append("(%s IS NOT NULL) AS green_team_active" % ("green_team" if "green_team" in cols else "NULL"))
    return out


def cmd_postgis(a):
    with open(a.config) as f:
        cfg = json.load(f)
    with open(a.tileset) as f:
        ts = json.load(f)
    roles = {l["id"]: l for l in cfg["layers"]}
    extent, buffer = ts.get("extent", 4096), ts.get("buffer", 64)
    year = a.year
    if not year:
        # kvarter's default: the latest indicator year; the tables carry it as the column "year".
        tables = psql("SELECT table_name FROM information_schema.columns WHERE column_name = 'year' "
                      "AND table_schema = 'public'").split()
        years = [psql("SELECT coalesce(max(year), 0) FROM %s" % ident(t)).strip() for t in tables]
        year = max([int(y) for y in years] + [0]) or time.gmtime().tm_year
    fn = "tile_" + a.name
    body = []
    for tl in ts["layers"]:
        lid = tl["layer"]
        table = lid.replace("-", "_")
        cols = psql("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position"
                    % literal(table)).split()
        props = [c for c in cols if c not in ("ogc_fid", "geom")]
        if tl.get("properties"):
            props = [c for c in props if c in tl["properties"]]
        layer_cfg = roles[lid]
        id_field = layer_cfg.get("id_field")
        # kvarter's MVT id: the id field when it is a number, else the feature's place (ogc_fid here).
        id_type = psql("SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s"
                       % (literal(table), literal(id_field or ""))).strip()
        fid = ident(id_field) if id_type in ("integer", "bigint", "smallint") else "ogc_fid"
        select = ["ST_AsMVTGeom(geom, env, %d, %d, true) AS geom" % (extent, buffer), "%s AS mvt_fid" % fid]
        select += [ident(c) for c in props] + highlight_columns(layer_cfg.get("role", "none"), props, year)
        minz, maxz = tl.get("minzoom", 0), tl.get("maxzoom", 22)
        body.append(
            "  IF z BETWEEN %d AND %d THEN\n"
            "    SELECT ST_AsMVT(q, %s, %d, 'geom', 'mvt_fid') INTO part FROM (\n"
            "      SELECT %s\n      FROM %s WHERE geom && qenv) q;\n"
            "    tile := tile || coalesce(part, ''::bytea);\n  END IF;\n"
            % (minz, maxz, literal(lid), extent, ",\n             ".join(select), ident(table)))
    setup = (
        "CREATE OR REPLACE FUNCTION %s(z int, x int, y int) RETURNS bytea LANGUAGE plpgsql STABLE AS $f$\n"
        "DECLARE\n  env geometry := ST_TileEnvelope(z, x, y);\n"
        "  qenv geometry := ST_TileEnvelope(z, x, y, margin => %r);\n"
        "  tile bytea := ''::bytea;\n  part bytea;\nBEGIN\n%s  RETURN tile;\nEND $f$;\n"
        % (fn, buffer / extent, "".join(body)))
    tiles = read_list(a.list)
    setup += ("DROP TABLE IF EXISTS tile_list; CREATE TABLE tile_list (ord int, z int, x int, y int);\n"
              "INSERT INTO tile_list VALUES %s;\n" % ", ".join("(%d, %d, %d, %d)" % ((i,) + t) for i, t in enumerate(tiles)))
    # One server-side loop per run: clock_timestamp() around each call, nothing crosses the wire.
    setup += (
        "CREATE TABLE IF NOT EXISTS timings (dataset text, run int, ord int, ms double precision, bytes int);\n"
        "CREATE OR REPLACE FUNCTION bench_%s(run int) RETURNS void LANGUAGE plpgsql AS $f$\n"
        "DECLARE r record; t0 timestamptz; b bytea;\nBEGIN\n"
        "  FOR r IN SELECT * FROM tile_list ORDER BY ord LOOP\n"
        "    t0 := clock_timestamp();\n    b := %s(r.z, r.x, r.y);\n"
        "    INSERT INTO timings VALUES (%s, run, r.ord, extract(epoch FROM clock_timestamp() - t0) * 1000, length(b));\n"
        "  END LOOP;\nEND $f$;\n" % (a.name, fn, literal(a.name)))
    with open(a.sql_out, "w") as f:
        f.write(setup)
    psql(setup)

    out = {"tiles": tiles, "runs": [], "bytes": [], "layers": [], "sql": a.sql_out, "year": year,
           "postgis_version": psql("SELECT postgis_full_version()").strip()}
    # Pass 0, untimed: the tiles themselves, to count features and compare with kvarter's.
    rows = psql("SELECT ord, encode(%s(z, x, y), 'hex') FROM tile_list ORDER BY ord" % fn).splitlines()
    for t, row in zip(tiles, rows):
        data = bytes.fromhex(row.split("|", 1)[1])
        out["bytes"].append(len(data))
        out["layers"].append(mvt_layers(data))
        save_tile(a.tiles_dir, t, data)
    # Do the statements inside the function get parallel workers? auto_explain on the largest tile.
    largest = max(range(len(tiles)), key=lambda i: out["bytes"][i])
    _, log = psql("LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;\n"
                  "SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice;\n"
                  "SELECT length(%s(%d, %d, %d));" % ((fn,) + tiles[largest]), stderr=True)
    out["parallel"] = {"tile": list(tiles[largest]),
                       "workers_planned": sum(int(v) for v in re.findall(r"Workers Planned: (\d+)", log)),
                       "workers_launched": sum(int(v) for v in re.findall(r"Workers Launched: (\d+)", log))}
    for run in range(a.runs):
        psql("SELECT bench_%s(%d)" % (a.name, run))
        ms = [float(v) for v in psql("SELECT ms FROM timings WHERE dataset = %s AND run = %d ORDER BY ord"
                                     % (literal(a.name), run)).split()]
        out["runs"].append(ms)
        print("cold ST_AsMVT %s run %d: %.0f ms for %d tiles" % (a.name, run + 1, sum(ms), len(ms)), flush=True)
    write_json(a.out, out)


def cmd_wrk(a):
    text = open(a.file).read()
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

    def ms_of(v):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
        return float(m.group(1)) * units[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    tscale = {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}
    print(json.dumps({
        "dataset": a.dataset, "server": a.server, "run": a.run,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p99_ms": ms_of(p.group(1)) if p else None,
        "mib_s": float(transfer.group(1)) * tscale.get(transfer.group(2), 1) if transfer else None,
        "errors": (errors.group(1) if errors else "") + (" non-2xx: " + non2xx.group(1) if non2xx else ""),
    }))


# ---------------------------------------------------------------- report

def per_zoom(tiles, values):
    out = {}
    for t, v in zip(tiles, values):
        out.setdefault(t[0], []).append(v)
    return out


def cold_stats(data, layers=None):
    """Per zoom: median over runs of (median, p99) over the zoom's tiles; bytes; features.
    `layers`: the decoded layers of the same tiles, for timings that kept none of their own."""
    if layers is not None:
        data = dict(data, layers=layers)
    tiles = data["tiles"]
    zs = sorted({t[0] for t in tiles})
    res = {}
    for z in zs + ["all"]:
        idx = [i for i, t in enumerate(tiles) if z == "all" or t[0] == z]
        meds = [statistics.median([run[i] for i in idx]) for run in data["runs"]]
        p99s = [p99([run[i] for i in idx]) for run in data["runs"]]
        res[z] = {
            "n": len(idx),
            "median": statistics.median(meds),
            "p99": statistics.median(p99s),
            "bytes_mean": statistics.mean(data["bytes"][i] for i in idx),
            "bytes_median": statistics.median(data["bytes"][i] for i in idx),
            "features": sum(sum(data["layers"][i].values()) for i in idx),
        }
        if "gzip_ms" in data:
            res[z]["median_nogzip"] = statistics.median(
                statistics.median([run[i] - data["gzip_ms"][i] for i in idx]) for run in data["runs"])
    return res


def fmt_ms(v):
    return "%.3f" % v if v < 1 else ("%.2f" % v if v < 10 else "%.1f" % v)


def fmt_bytes(v):
    return "%.0f" % v if v < 10000 else ("%.1f k" % (v / 1000) if v < 1e6 else "%.2f M" % (v / 1e6))


def compare_features(kv, pg):
    """Tiles whose per-layer feature counts differ, and tiles where one side is empty."""
    notes = []
    for i, t in enumerate(kv["tiles"]):
        a, b = kv["layers"][i], pg["layers"][i]
        for layer in sorted(set(a) | set(b)):
            ka, kb = a.get(layer, 0), b.get(layer, 0)
            if ka != kb:
                notes.append((t, layer, ka, kb, kv["bytes"][i], pg["bytes"][i]))
    return notes


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # a missing tool leaves its line empty
        return ""


def machine(pg_version):
    mem = sh("free -h | awk '/^Mem:/ {print $2}'")
    return [
        ("CPU", "%s, `nproc` = %s" % (sh("lscpu | sed -n 's/^Model name: *//p'") or "?", sh("nproc"))),
        ("memory", mem + " (`free -h`)"),
        ("OS", "Debian " + sh("cat /etc/debian_version") + ", kernel " + sh("uname -r")),
        ("kvarter", "git %s (%s), built Release by scripts/setup" % (
            sh("git rev-parse --short HEAD"),
            "working tree with uncommitted changes to " + ", ".join(sh("git status --porcelain --untracked-files=no | awk '{print $2}'").split())
            if sh("git status --porcelain --untracked-files=no") else "clean working tree")),
        ("PostgreSQL", sh("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/postgres --version")),
        ("PostGIS", pg_version),
        ("GDAL", sh("gdalinfo --version")),
        ("nginx", sh("nginx -v 2>&1")),
        ("wrk", sh("wrk -v 2>&1 | head -1")),
        ("Python", sh("python3 --version")),
    ]


def cmd_report(a):
    datasets = ["sample", "city"]
    titles = {"sample": "sample (geodata/sample.json, 7 layers)",
              "city": "synthetic city (100,000 polygons, 1 layer)"}
    tiles = read_list(a.list)
    per_z = {}
    for t in tiles:
        per_z[t[0]] = per_z.get(t[0], 0) + 1
    cold = {}
    for ds in datasets:
        cold[ds] = (json.load(open(os.path.join(a.dir, "cold-kvarter-%s.json" % ds))),
                    json.load(open(os.path.join(a.dir, "cold-postgis-%s.json" % ds))))
    render = {ds: json.load(open(os.path.join(a.dir, "render-kvarter-%s.json" % ds))) for ds in datasets}
    for ds in datasets:
        if [list(t) for t in render[ds]["tiles"]] != [list(t) for t in cold[ds][0]["tiles"]]:
            sys.exit("report: the render and HTTP runs of %s timed different tile lists" % ds)
    wrk_all = [json.loads(line) for line in open(os.path.join(a.dir, "wrk.jsonl")) if line.strip()]
    lines, md = [], []
    say = lines.append
    goal_cold, goal_cached = [], []

    md.append("# Tile benchmark\n")
    md.append("Written by `%s` (%s, %.1f minutes); every figure below comes from that one run on this machine.\n"
              % (a.command, a.date, a.seconds / 60))
    md.append("## Machine\n")
    for k, v in machine(cold["city"][1].get("postgis_version", "?")):
        md.append("- %s: %s" % (k, v))
    md.append("\nThe machine has 2 cores shared by the servers, the load generator and whatever else runs on it "
              "(other builds may run at the same time): every figure is a median of several runs, and "
              "differences under ~10 %% are noise.\n")

    md.append("## Data and tiles\n")
    md.append("- **sample**: `geodata/sample.json` with its tileset `tiles/sample/default.json` (7 layers; at z10–16 "
              "districts, deprived areas, renewal zones, Green Teams, housing areas, housing departments, from z11 "
              "playgrounds; ~450 features). PostGIS gets the same layers as kvarter serves them: each layer's "
              "GeoJSON from kvarter's own `/collections/{id}/items` (the geometries after loading and repair, with "
              "the joined names and the indicator values of the default year, i.e. the properties the tiles "
              "carry), loaded with `ogr2ogr -f PostgreSQL -t_srs EPSG:3857` and a GiST index. kvarter's "
              "highlight flags (`in_deprived_area`, `renewal_active`, `…_status`, `deprived`) are added as SQL "
              "expressions so that ST_AsMVT encodes as many properties.")
    md.append("- **city**: `bench/generate_city.py` (seed %d): %s, written to `build/bench/city/city.geojson` "
              "(EPSG:25832, never committed), with a config of one layer `blocks` (role none, id_field "
              "`block_id`, 7 properties) and a tileset `default` with it from zoom 10 to 16 (simplify 1 px). "
              "kvarter and ogr2ogr read the same file." % (a.city_seed, a.city_text))
    md.append("- **tiles**: `bench/tiles_bench.py pick` (seed %d) takes, per zoom 10–16, up to 30 tiles at random "
              "among those that `kvarter export` wrote (i.e. not empty) for *both* datasets, and writes them to "
              "`build/bench/tiles.txt`; kvarter, PostGIS and nginx all use that file. Per zoom: %s (%d tiles; "
              "z10–12 have fewer because the city is only that big)."
              % (a.pick_seed, ", ".join("z%d %d" % (z, per_z[z]) for z in sorted(per_z)), len(tiles)))
    md.append("")

    md.append("## How each figure is taken\n")
    md.append(
        "- **Cold kvarter, render**: `kvarter_tile_bench` (bench/tile_render_bench.cpp, built by this script) "
        "loads the same config once and calls the tile renderer for every tile of the list, timing each call "
        "with `std::chrono::steady_clock` inside the process: the catalog layers cut, clipped and encoded, "
        "no HTTP, no gzip, no proposals (the benchmark's store is empty). This is the figure comparable to "
        "ST_AsMVT timed with `clock_timestamp()` inside PostgreSQL, and the one the goal is checked on. An "
        "untimed pass first, then %d timed runs over the list (three times the others: a pass takes "
        "seconds, and more runs steady the median on a shared machine)." % (3 * a.cold_runs))
    md.append(
        "- **Cold kvarter, HTTP**: `kvarter serve --threads 2 --address 127.0.0.1` on a free port, config copied with "
        "`server.tile_cache_bytes: 1` (no tile fits, so every request renders). Client: one Python "
        "`http.client` keep-alive connection in one process (`bench/tiles_bench.py cold`), time from sending "
        "the request to the last byte of the body (`time.perf_counter`), without `Accept-Encoding` (raw MVT "
        "comes back). An untimed pass first (status, bytes, features, comparison with the exported file), "
        "then %d timed runs over the list. The figure includes HTTP over loopback (its floor, a `GET /health`, "
        "is given under each table), the transfer of the tile, and the gzip kvarter makes of every rendered "
        "tile whether the client asks for it or not (it is cached with the tile)." % a.cold_runs)
    md.append(
        "- **Cold ST_AsMVT**: a private cluster (`initdb` in a temp dir as the `postgres` user, `pg_ctl` on a "
        "free port and a private socket dir, `jit=off`, `shared_buffers=512MB`, otherwise defaults, so up "
        "to 2 parallel workers per query), `CREATE EXTENSION postgis`, tables in EPSG:3857 with GiST indexes "
        "and `ANALYZE`. Per dataset a PL/pgSQL function `tile_<dataset>(z,x,y)` with static SQL: per tileset "
        "layer, in kvarter's order and zoom range, `SELECT ST_AsMVT(q, '<layer>', 4096, 'geom', 'mvt_fid') FROM "
        "(SELECT ST_AsMVTGeom(geom, ST_TileEnvelope(z,x,y), 4096, 64, true) AS geom, <id>, <properties> FROM t "
        "WHERE geom && ST_TileEnvelope(z,x,y, margin => 64.0/4096)) q`, the layers concatenated (the SQL is "
        "kept in `build/bench/out/postgis-*.sql`). Timing: a PL/pgSQL loop over the list, `clock_timestamp()` "
        "before and after each call, stored in a table — entirely server-side. Chosen over psql's `\\timing` "
        "because that would add the round trip and, worse, the transfer of the result to psql as hex text "
        "(14 MB for the largest tile); over `EXPLAIN ANALYZE` because its instrumentation slows the query. "
        "Like the render figure, and unlike kvarter's HTTP figure, this has no client or transfer cost in it. "
        "An untimed pass first (fetches every tile to "
        "count features and bytes, and warms the buffers and plan cache), then %d timed runs." % a.cold_runs)
    md.append(
        "- **Cached**: kvarter again with the cache on (`tile_cache_bytes` 1 GiB), every tile requested once, "
        "then `wrk -t2 -c32 -d10s --latency -s bench/tiles.lua` (each connection cycles through "
        "`build/bench/tiles.txt`, threads starting at different places). nginx (`daemon off`, 2 workers, "
        "`sendfile on`, `access_log off`, `keepalive_requests 100000`, private config and prefix, free port) "
        "serves the folder `kvarter export --minzoom 10 --maxzoom 16` wrote, under the same URLs. Neither "
        "compresses (wrk sends no `Accept-Encoding`), so both send the same raw bytes. %d runs each, "
        "alternating kvarter and nginx." % a.wrk_runs)
    md.append(
        "- Not the same work: kvarter simplifies every zoom once at load (coverage-preserving, 1 px) and "
        "clips and encodes per request; ST_AsMVTGeom snaps to the grid and simplifies per request. "
        "Both clip with a 64 px buffer.")
    md.append("")

    md.append("## Cold tiles: kvarter (cache off) vs PostGIS `ST_AsMVT`\n")
    md.append("Milliseconds per tile. Per zoom, the median and the p99 (nearest rank, so the slowest tile "
              "when a zoom has fewer than 100) over that zoom's tiles are taken in each run (%d of the renderer, %d "
              "of the others); the "
              "table shows the median of the runs. kv render: kvarter's renderer timed inside the process; ratio = "
              "ST_AsMVT / kv render (above 1: kvarter is faster), both timed server-side. kv HTTP: the same tiles "
              "through `kvarter serve` with its cache off, seen from a client on loopback (HTTP, transfer and the "
              "gzip kvarter makes of every rendered tile included); ratio HTTP = ST_AsMVT / kv HTTP, which leans "
              "in PostGIS's favour. Bytes: mean uncompressed tile size. Features: summed over the zoom's tiles, from "
              "decoding every tile of both.\n" % (3 * a.cold_runs, a.cold_runs))
    head = ("zoom", "tiles", "kv render med", "kv render p99", "pg med", "pg p99", "ratio med", "ratio p99",
            "kv HTTP med", "ratio HTTP", "kv bytes", "pg bytes", "kv feat", "pg feat")
    rowfmt = "%-4s %5s %13s %13s %8s %8s %9s %9s %11s %10s %9s %9s %8s %8s"
    for ds in datasets:
        kv, pg = cold[ds]
        ks, ps = cold_stats(kv), cold_stats(pg)
        rs = cold_stats(render[ds], kv["layers"])
        say("\ncold tiles, %s (ms per tile; ratio = ST_AsMVT / kvarter)" % titles[ds])
        say(rowfmt % head)
        md.append("### %s\n" % titles[ds])
        md.append("| " + " | ".join(head) + " |")
        md.append("|" + "---|" * len(head))
        for z in [k for k in ks if k != "all"] + ["all"]:
            k, p, r = ks[z], ps[z], rs[z]
            rm, rp = p["median"] / r["median"], p["p99"] / r["p99"]
            if z != "all":
                goal_cold.append((ds, z, rm))
            row = (str(z), str(k["n"]), fmt_ms(r["median"]), fmt_ms(r["p99"]), fmt_ms(p["median"]), fmt_ms(p["p99"]),
                   "%.2f×" % rm, "%.2f×" % rp, fmt_ms(k["median"]), "%.2f×" % (p["median"] / k["median"]),
                   fmt_bytes(k["bytes_mean"]), fmt_bytes(p["bytes_mean"]), str(k["features"]), str(p["features"]))
            say(rowfmt % row)
            md.append("| " + " | ".join(["**all**" if z == "all" else row[0]] + list(row[1:])) + " |")
        md.append("")
        checks = ["HTTP floor of the kvarter figures (median of 50 `GET /health`, same client): %.3f ms."
                  % kv["http_floor_ms"]]
        par = pg.get("parallel", {})
        checks.append("ST_AsMVT's statements inside the tile function ran with %s parallel workers launched "
                      "(%s planned; auto_explain on the largest tile, %s), i.e. %s."
                      % (par.get("workers_launched", "?"), par.get("workers_planned", "?"),
                         "/".join(str(v) for v in par.get("tile", [])),
                         "one process per tile, like kvarter's one thread per tile" if not par.get("workers_launched")
                         else "PostGIS used more than one core for a tile"))
        bad = [tuple(kv["tiles"][i]) for i, s in enumerate(kv["status"]) if s != 200]
        if bad:
            checks.append("kvarter answered other than 200 for %d tiles: %s." % (len(bad), bad[:5]))
        if kv["export_mismatch"]:
            checks.append("%d served tiles differ from the file `kvarter export` wrote, e.g. %s."
                          % (len(kv["export_mismatch"]), kv["export_mismatch"][:3]))
        else:
            checks.append("Every served tile is byte-identical to the file `kvarter export` wrote.")
        diffs = compare_features(kv, pg)
        empty_kv = [d for d in diffs if d[2] == 0]
        if diffs:
            checks.append("%d (tile, layer) pairs have different feature counts in kvarter's and ST_AsMVT's tile "
                          "(%d of them empty in kvarter's tile); the first:" % (len(diffs), len(empty_kv)))
            for t, layer, ka, kb, ba, bb in (empty_kv + [d for d in diffs if d[2] != 0])[:8]:
                checks.append("  - %d/%d/%d `%s`: kvarter %d, ST_AsMVT %d features (whole tiles %d vs %d bytes)"
                              % (tuple(t) + (layer, ka, kb, ba, bb)))
        else:
            checks.append("Every (tile, layer) has as many features in kvarter's tile as in ST_AsMVT's.")
        for c in checks:
            md.append(c if c.startswith("  - ") else "- " + c)
            say("  " + c)
        md.append("")

    md.append("## Cached tiles: kvarter (cache on) vs nginx (static files)\n")
    md.append("Medians of %d runs of `wrk -t2 -c32 -d10s --latency` over the tile list. Ratio = kvarter / nginx "
              "requests per second.\n" % a.wrk_runs)
    head = ("data", "kvarter req/s", "kvarter p99 ms", "nginx req/s", "nginx p99 ms", "ratio", "kvarter MiB/s", "nginx MiB/s")
    md.append("| " + " | ".join(head) + " |")
    md.append("|" + "---|" * len(head))
    say("\ncached tiles (wrk -t2 -c32 -d10s, medians of %d runs)" % a.wrk_runs)
    say("%-8s %13s %14s %12s %13s %7s" % head[:6])
    errs = []
    for ds in datasets:
        k = [r for r in wrk_all if r["dataset"] == ds and r["server"] == "kvarter"]
        n = [r for r in wrk_all if r["dataset"] == ds and r["server"] == "nginx"]
        kr, nr = statistics.median(r["rps"] for r in k), statistics.median(r["rps"] for r in n)
        kp, np_ = statistics.median(r["p99_ms"] for r in k), statistics.median(r["p99_ms"] for r in n)
        km, nm = statistics.median(r["mib_s"] for r in k), statistics.median(r["mib_s"] for r in n)
        goal_cached.append((ds, kr / nr))
        row = (ds, "%.0f" % kr, fmt_ms(kp), "%.0f" % nr, fmt_ms(np_), "%.2f" % (kr / nr), "%.0f" % km, "%.0f" % nm)
        say("%-8s %13s %14s %12s %13s %7s" % row[:6])
        md.append("| " + " | ".join(row) + " |")
        errs += ["%s %s: %s" % (ds, r["server"], r["errors"]) for r in k + n if r["errors"]]
    md.append("")
    md.append("Every run: " + "; ".join("%s %s %.0f req/s, p99 %s ms" % (r["dataset"], r["server"], r["rps"], fmt_ms(r["p99_ms"]))
                                         for r in wrk_all) + ".")
    if errs:
        md.append("\nwrk reported: " + "; ".join(sorted(set(errs))) + ".")
    md.append("")

    md.append("## Goals\n")
    missed = [(ds, z, r) for ds, z, r in goal_cold if r < 3]
    if missed:
        g1 = ("- **Cold tiles at least 3× faster than ST_AsMVT: not met** in %d of %d (dataset, zoom) rows: %s."
              % (len(missed), len(goal_cold), ", ".join("%s z%s %.2f×" % m for m in missed)))
    else:
        g1 = ("- Cold tiles at least 3× faster than ST_AsMVT: met at every zoom of both datasets (lowest %.2f×)."
              % min(r for _, _, r in goal_cold))
    low = [(ds, r) for ds, r in goal_cached if r < 0.7]
    g2 = ("- %s (kvarter reaches %s of nginx's requests/s)."
          % ("**Cached tiles at least 70 % of nginx: not met**" if low else "Cached tiles at least 70 % of nginx: met",
             ", ".join("%.0f %% on the %s" % (100 * r, ds) for ds, r in goal_cached)))
    md += [g1, g2, ""]
    say("")
    say(g1)
    say(g2)
    if a.notes and os.path.exists(a.notes):
        md.append(open(a.notes).read().strip())
        md.append("")
    md.append("## Reproduce\n")
    md.append("```sh\n%s\n```\n" % a.command)
    md.append("It installs what is missing (scripts/setup, then postgresql, PostGIS, nginx-light, wrk), builds, "
              "generates the city into `build/bench/`, runs everything above and rewrites this file. Raw "
              "figures: `build/bench/out/`.")
    with open(a.results, "w") as f:
        f.write("\n".join(md).rstrip() + "\n")
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("free-port")
    p = sub.add_parser("config")
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--cache-bytes", type=int, required=True)
    p = sub.add_parser("pick")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--per-zoom", type=int, default=30)
    p.add_argument("--minzoom", type=int, default=10)
    p.add_argument("--maxzoom", type=int, default=16)
    p.add_argument("dirs", nargs="+")
    p = sub.add_parser("cold")
    p.add_argument("--name", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", required=True)
    p.add_argument("--tiles-dir")
    p.add_argument("--export-dir")
    p = sub.add_parser("warm")
    p.add_argument("--base", required=True)
    p.add_argument("--list", required=True)
    p = sub.add_parser("postgis")
    p.add_argument("--name", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--tileset", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--year", type=int, default=0, help="indicator year (default: the latest in the tables)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", required=True)
    p.add_argument("--sql-out", required=True)
    p.add_argument("--tiles-dir")
    p = sub.add_parser("wrk")
    p.add_argument("file")
    p.add_argument("--dataset", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--run", type=int, required=True)
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--command", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--cold-runs", type=int, required=True)
    p.add_argument("--wrk-runs", type=int, required=True)
    p.add_argument("--city-seed", type=int, required=True)
    p.add_argument("--city-text", required=True)
    p.add_argument("--pick-seed", type=int, required=True)
    p.add_argument("--notes", help="a Markdown file appended after the goals")
    a = ap.parse_args()
    if a.cmd == "free-port":
        print(free_port())
    else:
        globals()["cmd_" + a.cmd.replace("-", "_")](a)


if __name__ == "__main__":
    main()
