#!/usr/bin/env python3
"""Helpers of `scripts/bench scale` (see bench/SCALE.md for what it measures and how).

Debian's python3 (/usr/bin/python3): the standard library, and python3-shapely (GEOS) for the
outline comparison only.

    pick --out LIST --total N FILE.geojson...   a seeded list of N tiles z10-16 with data in the files (EPSG:4326)
    kvarter ...          runs of `kvarter serve` under /usr/bin/time -v: load to first /health 200, peak RSS,
                         every tile once without and once with Accept-Encoding: gzip, on one keep-alive connection
    rss ...              peak RSS after load of a config (the empty one), median of a few starts
    geojsonvt ...        runs of bench/geojsonvt/gvt_bench.mjs under /usr/bin/time -v (one process a run)
    postgis-tiles ...    the fidelity sample's tiles from ST_AsMVT (a PostGIS database given by PG* variables)
    fidelity ...         decode the sample's tiles of each peer, compare every feature with its source polygon
    wrk FILE             (bench/tiles_bench.py wrk) parse wrk --latency output
    report ...           the tables and ratios, and bench/SCALE.md

The scripts/bench driver installs, builds and generates; this file starts and stops what it times.
"""

import argparse
import gzip
import http.client
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiles_bench  # noqa: E402  (the MVT field reader, free_port, read_list, p99, wrk parsing)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZOOMS = range(10, 17)
WORLD = 20037508.342789244
EXTENT = 4096


def write_json(path, data):
    tiles_bench.write_json(path, data)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def median(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None


# ---------------------------------------------------------------- what else runs on the machine

class machine_watch:
    """Samples /proc every 2 s: CPU seconds used by processes outside this one's process tree,
    by command name, and the load average; so the report can say what ran beside the benchmark."""

    def __init__(self, root_pid=None):
        self.me = root_pid or os.getpid()
        self.others = {}
        self.ours = 0.0
        self.load = []
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last = self.sample()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def sample(self):
        procs = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
            except OSError:
                continue
            comm = s[s.index("(") + 1:s.rindex(")")]
            rest = s[s.rindex(")") + 2:].split()
            procs[int(d)] = (comm, int(rest[1]), (int(rest[11]) + int(rest[12])) / self.tick)
        return procs

    def ours_set(self, procs):
        ours = {self.me}
        changed = True
        while changed:
            changed = False
            for pid, (_, ppid, _) in procs.items():
                if pid not in ours and ppid in ours:
                    ours.add(pid)
                    changed = True
        return ours

    def loop(self):
        while not self.stop.wait(2.0):
            now = self.sample()
            ours = self.ours_set(now)
            for pid, (comm, _, cpu) in now.items():
                before = self.last.get(pid)
                delta = cpu - before[2] if before and before[0] == comm else 0.0
                if delta <= 0:
                    continue
                if pid in ours:
                    self.ours += delta
                else:
                    self.others[comm] = self.others.get(comm, 0.0) + delta
            self.last = now
            with open("/proc/loadavg") as f:
                self.load.append(float(f.read().split()[0]))

    def summary(self):
        self.stop.set()
        self.thread.join()
        top = sorted(self.others.items(), key=lambda kv: -kv[1])
        return {"ours_cpu_s": self.ours, "others_cpu_s": sum(self.others.values()),
                "others_top": [[k, v] for k, v in top[:8]],
                "load_median": median(self.load), "load_max": max(self.load) if self.load else None}


# ---------------------------------------------------------------- tiles with data

def lonlat_tile(lon, lat, z):
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    lat = max(min(lat, 85.0511), -85.0511)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_fraction(lon, lat, z):
    """Where in its tile a point lies, 0..1 from the tile's west and north edges."""
    n = 1 << z
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return fx % 1, fy % 1


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def feature_boxes(path):
    """(min lon, min lat, max lon, max lat) of every feature of a GeoJSON file written one feature
    a line (GDAL's writer): the numbers after "coordinates", without parsing the JSON."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            i = line.find('"coordinates"')
            if i < 0:
                continue
            v = [float(n) for n in NUMBER.findall(line, i)]
            xs, ys = v[0::2], v[1::2]
            yield min(xs), min(ys), max(xs), max(ys)


def cmd_pick(a):
    """Tiles with data: every tile of z16 that a feature's box (widened by the 64 px buffer of its
    tile) touches, and their parents. Then per zoom a seeded sample: zooms with few tiles give all of
    them, the rest share the remainder equally. The list is sorted by zoom, x, y."""
    z = a.maxzoom
    have = set()
    pad = 64.0 / 4096
    for lon0, lat0, lon1, lat1 in (b for path in a.files for b in feature_boxes(path)):
        x0, y1 = lonlat_tile(lon0, lat0, z)
        x1, y0 = lonlat_tile(lon1, lat1, z)
        # the buffer: a feature within 64 px of a tile's edge is in that tile too
        fx0, fy1 = tile_fraction(lon0, lat0, z)
        fx1, fy0 = tile_fraction(lon1, lat1, z)
        x0 -= fx0 < pad
        x1 += fx1 > 1 - pad
        y0 -= fy0 < pad
        y1 += fy1 > 1 - pad
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                have.add((x, y))
    per = {z: have}
    for zz in range(a.maxzoom - 1, a.minzoom - 1, -1):
        per[zz] = {(x >> 1, y >> 1) for x, y in per[zz + 1]}
    rng = random.Random(a.seed)
    left = a.total
    order = sorted(range(a.minzoom, a.maxzoom + 1), key=lambda zz: len(per[zz]))
    chosen = {}
    for i, zz in enumerate(order):
        quota = left // (len(order) - i)
        pool = sorted(per[zz])
        chosen[zz] = sorted(rng.sample(pool, min(quota, len(pool))))
        left -= len(chosen[zz])
    lines = []
    for zz in range(a.minzoom, a.maxzoom + 1):
        lines += ["%d %d %d" % (zz, x, y) for x, y in chosen[zz]]
        print("pick: z%d %d of %d tiles with data" % (zz, len(chosen[zz]), len(per[zz])))
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    # The outline sample: a few tiles per zoom, more at z12 and z16.
    srng = random.Random(a.seed + 1)
    sample = []
    for zz in range(a.minzoom, a.maxzoom + 1):
        k = a.sample_focus if zz in (12, 16) else a.sample_other
        sample += ["%d %d %d" % (zz, x, y) for x, y in sorted(srng.sample(chosen[zz], min(k, len(chosen[zz]))))]
    with open(a.sample_out, "w") as f:
        f.write("\n".join(sample) + "\n")


# ---------------------------------------------------------------- HTTP

class client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path, headers=None):
        t0 = time.perf_counter()
        self.conn.request("GET", path, headers=headers or {})
        r = self.conn.getresponse()
        body = r.read()
        return r.status, body, (time.perf_counter() - t0) * 1000, r.getheader("Content-Encoding")


def tile_path(t):
    return "/tiles/default/%d/%d/%d.mvt" % tuple(t)


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def proc_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def time_v_maxrss_mb(text):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) / 1024 if m else None


class served:
    """`kvarter serve` under /usr/bin/time -v on a free port; .load_s, .hwm_mb once /health answers."""

    def __init__(self, kvarter, config, log, threads=2, timeout=900):
        self.port = tiles_bench.free_port()
        self.timefile = log + ".time"
        self.logf = open(log, "w")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", self.timefile, kvarter, "serve", "--config", config,
                                      "--port", str(self.port), "--address", "127.0.0.1", "--threads", str(threads)],
                                     stdout=self.logf, stderr=subprocess.STDOUT)
        while True:
            if self.proc.poll() is not None:
                self.logf.close()
                sys.exit("scale: kvarter exited with %d on %s; see %s" % (self.proc.returncode, config, log))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    c.close()
                    break
                c.close()
            except OSError:
                pass
            if time.monotonic() - t0 > timeout:
                self.stop()
                sys.exit("scale: kvarter did not answer in %d s on %s" % (timeout, config))
            time.sleep(0.01)
        self.load_s = time.monotonic() - t0
        kids = children(self.proc.pid)
        self.pid = kids[0] if kids else None
        self.hwm_mb = (proc_kb(self.pid, "VmHWM") or 0) / 1024 if self.pid else None
        self.rss_mb = (proc_kb(self.pid, "VmRSS") or 0) / 1024 if self.pid else None

    def stop(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            if self.pid:
                os.kill(self.pid, signal.SIGKILL)
            self.proc.wait()
        self.logf.close()
        try:
            with open(self.timefile) as f:
                self.peak_mb = time_v_maxrss_mb(f.read())
        except OSError:
            self.peak_mb = None
        return self


def save_tile(root, t, data):
    tiles_bench.save_tile(root, tuple(t), data)


def tile_pass(c, tiles, gz, save=None, save_dir=None):
    headers = {"Accept-Encoding": "gzip"} if gz else {}
    ms, size, status, layers = [], [], [], []
    for t in tiles:
        st, body, took, enc = c.get(tile_path(t), headers)
        if st not in (200, 204):
            sys.exit("scale: %s answered %d" % (tile_path(t), st))
        ms.append(took)
        size.append(len(body))
        status.append(st)
        if not gz:
            layers.append(tiles_bench.mvt_layers(body) if body else {})
            if save is not None and tuple(t) in save:
                save_tile(save_dir, t, body)
        elif body and enc != "gzip":
            sys.exit("scale: %s came back without gzip although asked" % tile_path(t))
    return {"ms": ms, "bytes": size, "status": status, "layers": layers}


def cmd_kvarter(a):
    tiles = tiles_bench.read_list(a.list)
    save = set(tiles_bench.read_list(a.sample)) if a.sample else None
    out = {"tiles": tiles, "runs": []}
    for run in range(a.runs):
        s = served(a.kvarter, a.config, os.path.join(a.logs, "kvarter-%s-%d.log" % (a.name, run + 1)))
        c = client(s.port)
        floor = []
        for _ in range(20):
            floor.append(c.get("/health")[2])
        r = {"load_s": s.load_s, "hwm_after_load_mb": s.hwm_mb, "rss_after_load_mb": s.rss_mb,
             "http_floor_ms": statistics.median(floor)}
        # Alternate which pass goes first, so neither always meets the memory the other touched.
        order = ["raw", "gzip"] if run % 2 == 0 else ["gzip", "raw"]
        for kind in order:
            t0 = time.perf_counter()
            p = tile_pass(c, tiles, kind == "gzip", save if run == 0 else None, a.save_dir)
            p["wall_s"] = time.perf_counter() - t0
            r[kind] = p
        c.conn.close()
        s.stop()
        r["peak_mb"] = s.peak_mb
        out["runs"].append(r)
        print("scale kvarter %s run %d: first answer %.2f s, RSS after load %.0f MB (peak %.0f); %d tiles raw %.2f s, "
              "gzip %.2f s; peak RSS %.0f MB" % (a.name, run + 1, s.load_s, s.rss_mb or 0, s.hwm_mb or 0, len(tiles),
                                                 r["raw"]["wall_s"], r["gzip"]["wall_s"], s.peak_mb or 0), flush=True)
    write_json(a.out, out)
    if a.nonempty_out:
        # The tiles kvarter drew something in (200 with a body): the list wrk and nginx use.
        first = out["runs"][0]["raw"]
        with open(a.nonempty_out, "w") as f:
            f.write("".join("%d %d %d\n" % tuple(t) for t, st, b in zip(tiles, first["status"], first["bytes"])
                            if st == 200 and b))


def cmd_rss(a):
    loads, hwm = [], []
    for run in range(a.runs):
        s = served(a.kvarter, a.config, os.path.join(a.logs, "kvarter-empty-%d.log" % (run + 1)))
        loads.append(s.load_s)
        hwm.append(s.hwm_mb)
        s.stop()
    write_json(a.out, {"load_s": loads, "hwm_mb": hwm})
    print("scale: empty config: first answer %.2f s, peak RSS %.1f MB" % (median(loads), median(hwm)))


def cmd_geojsonvt(a):
    runs = []
    for run in range(a.runs):
        out = os.path.join(a.logs, "gvt-%s-%d.json" % (a.name, run + 1))
        timefile = out + ".time"
        cmd = ["/usr/bin/time", "-v", "-o", timefile, a.node, "--max-old-space-size=%d" % a.heap_mb,
               os.path.join(ROOT, "bench", "geojsonvt", "gvt_bench.mjs"), "--out", out, "--list", a.list,
               "--tolerance", str(a.tolerance), "--max-zoom", str(a.max_zoom)]
        if run == 0 and a.sample:
            cmd += ["--save-list", a.sample, "--save-dir", a.save_dir]
        t0 = time.monotonic()
        subprocess.run(cmd + a.layers, check=True)
        r = read_json(out)
        r["process_s"] = time.monotonic() - t0
        with open(timefile) as f:
            r["peak_mb"] = time_v_maxrss_mb(f.read())
        runs.append(r)
    tiles = runs[0]["tiles"]
    for r in runs:
        r.pop("tiles")
    write_json(a.out, {"tiles": tiles, "runs": runs})


# ---------------------------------------------------------------- PostGIS tiles (outline comparison only)

def psql(sql):
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"], input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("psql failed: " + r.stderr.strip())
    return r.stdout


def cmd_postgis_tiles(a):
    """The sample's tiles from ST_AsMVT: per tileset layer, ST_AsMVTGeom(geom, ST_TileEnvelope(z,x,y),
    4096, 64, true) over the features in the envelope widened by the buffer, as bench/tiles_bench.py
    postgis does (tables in EPSG:3857, GiST indexes)."""
    ts = read_json(a.tileset)
    layers = []
    for l in ts["layers"]:
        name = l["layer"]
        cols = psql("SELECT column_name FROM information_schema.columns WHERE table_name = '%s' "
                    "ORDER BY ordinal_position" % name).split()
        layers.append((name, a.ids[name], ", ".join('"%s"' % c for c in cols if c not in ("ogc_fid", "geom"))))
    for t in tiles_bench.read_list(a.sample):
        z, x, y = t
        parts = []
        for name, fid, props in layers:
            # every property, as kvarter's and geojson-vt's tiles carry them, so the bytes compare too
            parts.append(
                "(SELECT coalesce(ST_AsMVT(q, '%s', 4096, 'geom', '%s'), ''::bytea) FROM ("
                "SELECT ST_AsMVTGeom(geom, ST_TileEnvelope(%d, %d, %d), 4096, 64, true) AS geom, %s "
                "FROM %s WHERE geom && ST_TileEnvelope(%d, %d, %d, margin => %r)) q)"
                % (name, fid, z, x, y, props, name, z, x, y, 64 / 4096))
        hexdata = psql("SELECT encode(%s, 'hex')" % " || ".join(parts)).strip()
        save_tile(a.save_dir, t, bytes.fromhex(hexdata))


# ---------------------------------------------------------------- outline comparison

def zigzag(n):
    return (n >> 1) ^ -(n & 1)


def packed(b):
    out, i = [], 0
    while i < len(b):
        v, i = tiles_bench._varint(b, i)
        out.append(v)
    return out


def decode_tile(data):
    """{layer: {feature id: [rings of (x, y) in tile pixels]}}, polygons only."""
    out = {}
    for f, wt, v in tiles_bench._fields(memoryview(data)):
        if f != 3 or wt != 2:
            continue
        name, extent, feats = "?", 4096, []
        for g, wt2, w in tiles_bench._fields(v):
            if g == 1:
                name = bytes(w).decode()
            elif g == 5:
                extent = w
            elif g == 2:
                fid, gtype, geom = None, 0, []
                for h, wt3, u in tiles_bench._fields(w):
                    if h == 1:
                        fid = u
                    elif h == 3:
                        gtype = u
                    elif h == 4:
                        geom = packed(u) if wt3 == 2 else [u]
                feats.append((fid, gtype, geom))
        layer = out.setdefault(name, {})
        scale = EXTENT / extent
        for fid, gtype, geom in feats:
            if gtype != 3:
                continue
            rings, ring, x, y, i = [], [], 0, 0, 0
            while i < len(geom):
                cmd, count = geom[i] & 7, geom[i] >> 3
                i += 1
                if cmd == 7:
                    if ring:
                        rings.append(ring)
                    ring = []
                    continue
                for _ in range(count):
                    x += zigzag(geom[i])
                    y += zigzag(geom[i + 1])
                    i += 2
                    if cmd == 1 and ring:
                        rings.append(ring)
                        ring = []
                    ring.append((x * scale, y * scale))
            layer.setdefault(fid, []).extend(rings)
    return out


def shoelace(ring):
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += x0 * y1 - x1 * y0
    return s / 2


def polygonal(g):
    """g made valid, polygons only (what make_valid adds as lines or points is no area)."""
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
    from shapely.validation import make_valid
    if g.is_valid:
        return g
    v = make_valid(g)
    if isinstance(v, (Polygon, MultiPolygon)):
        return v
    parts = []
    for p in getattr(v, "geoms", []):
        if isinstance(p, Polygon):
            parts.append(p)
        elif isinstance(p, MultiPolygon):
            parts.extend(p.geoms)
    return MultiPolygon(parts) if parts else GeometryCollection()


def rings_to_geometry(rings):
    """MVT 2.1 (4.3.4.4): an exterior ring has positive area in tile coordinates (y down), the
    interior rings after it negative. Each polygon is its exterior (made valid) less its holes, so
    a hole that a clipper left touching its exterior along the clip line (as geojson-vt's does)
    still cuts its notch; the polygons are then joined."""
    from shapely.geometry import Polygon
    from shapely.ops import unary_union
    polys, cur = [], None
    for r in rings:
        if len(r) < 3:
            continue
        a = shoelace(r)
        if a > 0:
            cur = [r, []]
            polys.append(cur)
        elif a < 0 and cur is not None:
            cur[1].append(r)
    parts = []
    for e, holes in polys:
        p = polygonal(Polygon(e))
        if holes:
            p = p.difference(unary_union([polygonal(Polygon(h)) for h in holes]))
        parts.append(p)
    return unary_union(parts) if parts else None


def source_geometry(feature, t):
    """The source polygon (EPSG:3857 coordinates) in the tile's pixels."""
    from shapely.geometry import shape
    from shapely.affinity import affine_transform
    z, x, y = t
    size = 2 * WORLD / (1 << z)
    k = EXTENT / size
    g = shape(feature["geometry"])
    # px = (X - (x * size - WORLD)) * k ; py = ((WORLD - y * size) - Y) * k
    return affine_transform(g, [k, 0, 0, -k, -(x * size - WORLD) * k, (WORLD - y * size) * k])


def vertices(g):
    if g.is_empty:
        return []
    if hasattr(g, "geoms"):
        return [p for part in g.geoms for p in vertices(part)]
    return list(g.coords)


def outline_distance(source, decoded, tile_box):
    """The Hausdorff distance between the two outlines where they run inside the tile: the farthest
    vertex of either outline inside the tile from the other outline as a whole. The other outline is
    taken whole (the source's, and the decoded one with its buffer), so neither a clipper's edge along
    the buffer nor a sliver the tile's edge cuts off counts as error. None when neither outline
    enters the tile (a feature that covers the tile)."""
    from shapely.geometry import Point
    sb, db = source.boundary, decoded.boundary
    s_in = vertices(sb.intersection(tile_box))
    d_in = vertices(db.intersection(tile_box))
    if not s_in and not d_in:
        return None
    return max([db.distance(Point(p)) for p in s_in] + [sb.distance(Point(p)) for p in d_in])


def cmd_fidelity(a):
    from shapely.geometry import box
    tile_box = box(0, 0, EXTENT, EXTENT)
    sample = tiles_bench.read_list(a.sample)
    peers = [p.split("=", 1) for p in a.peer]
    # Source features by layer: id and box in EPSG:3857.
    sources = {}
    for spec in a.source:
        layer, id_field, path = spec.split(":", 2)
        feats = read_json(path)["features"]
        index = []
        for f in feats:
            c = f["geometry"]["coordinates"]
            pts = [p for ring in (c if f["geometry"]["type"] == "Polygon" else [r for poly in c for r in poly]) for p in ring]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            index.append((min(xs), min(ys), max(xs), max(ys), f["properties"][id_field], f))
        sources[layer] = index
    rng = random.Random(a.seed)
    rows = []  # one per (tile, layer, feature, peer)
    tile_bytes = {}
    for t in sample:
        z, x, y = t
        size = 2 * WORLD / (1 << z)
        minx, maxy = x * size - WORLD, WORLD - y * size
        maxx, miny = minx + size, maxy - size
        decoded = {}
        for name, root in peers:
            f = os.path.join(root, "%d/%d/%d.mvt" % tuple(t))
            data = open(f, "rb").read() if os.path.exists(f) else b""
            tile_bytes[(name, tuple(t))] = len(data)
            decoded[name] = decode_tile(data) if data else {}
        for layer, index in sources.items():
            inside = [e for e in index if e[0] < maxx and e[2] > minx and e[1] < maxy and e[3] > miny]
            if len(inside) > a.per_tile:
                inside = rng.sample(inside, a.per_tile)
            for _, _, _, _, fid, feat in inside:
                full = source_geometry(feat, t)
                src = full.intersection(tile_box)
                if src.is_empty or src.area <= 0:
                    continue
                for name, _ in peers:
                    rings = decoded[name].get(layer, {}).get(fid)
                    row = {"tile": list(t), "z": z, "layer": layer, "id": fid, "peer": name,
                           "source_area": src.area}
                    g = rings_to_geometry(rings) if rings else None
                    gin = g.intersection(tile_box) if g is not None and not g.is_empty else None
                    if gin is None or gin.is_empty:
                        row["missing"] = True
                    else:
                        h = outline_distance(full, g, tile_box)
                        if h is not None:
                            row["hausdorff"] = h
                        row["symdiff"] = src.symmetric_difference(gin).area
                    rows.append(row)
        print("fidelity: %d/%d/%d done (%d comparisons so far)" % (tuple(t) + (len(rows),)), flush=True)
    write_json(a.out, {"sample": sample, "peers": [p[0] for p in peers], "rows": rows,
                       "tile_bytes": [[k[0], list(k[1]), v] for k, v in tile_bytes.items()]})


# ---------------------------------------------------------------- report

def fmt_ms(v):
    return "–" if v is None else tiles_bench.fmt_ms(v)


def fmt_bytes(v):
    return "–" if v is None else tiles_bench.fmt_bytes(v)


def fmt_s(v):
    return "–" if v is None else ("%.2f s" % v if v < 100 else "%.0f s" % v)


def fmt_mb(v):
    return "–" if v is None else "%.0f MB" % v


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt_x(v):
    return "–" if v is None else "%.2f×" % v


def cmd_report(a):
    ds_names = a.datasets.split(",")
    meta = read_json(a.meta)
    md, say = [], print
    lines = []

    def both(s=""):
        md.append(s)

    def sh(cmd):
        return tiles_bench.sh(cmd)

    both("# Scale benchmark: kvarter beside geojson-vt")
    both("")
    both("Written by `%s` (%s, %.1f minutes); every figure below comes from that one run on this machine, and "
         "every ratio compares figures of that run." % (a.command, a.date, a.seconds / 60))
    both("")
    both("## Machine")
    both("")
    cpu = sh("lscpu | sed -n 's/^Model name: *//p'") or platform.processor()
    both("- CPU: %s, `nproc` = %s" % (cpu, sh("nproc")))
    both("- memory: %s total, %s available at the start (`free -h`)" % (meta.get("mem_total", "?"), meta.get("mem_available", "?")))
    both("- OS: %s, kernel %s" % (sh(". /etc/os-release; echo \"$PRETTY_NAME\"") + " (" + sh("cat /etc/debian_version") + ")",
                                   platform.release()))
    both("- kvarter: %s" % meta["kvarter"])
    both("- node %s, @maplibre/geojson-vt %s, @maplibre/vt-pbf %s (bench/geojsonvt/package-lock.json)"
         % (meta["node"], meta["gvt_version"], meta["vtpbf_version"]))
    both("- %s; %s; %s; %s; Python %s with shapely %s (GEOS %s)" % (meta.get("gdal", ""), meta.get("nginx", ""),
                                                                    meta.get("wrk", ""), meta.get("postgis", "no PostGIS"),
                                                                    platform.python_version(), meta.get("shapely", "?"),
                                                                    meta.get("geos", "?")))
    both("")
    watch = meta.get("watch") or {}
    both("### What else ran")
    both("")
    both("The machine has 2 cores, shared with other work: every timed figure is a median of %d runs, and "
         "differences under ~10 %% are noise. While this benchmark ran, its own processes used %.0f CPU-seconds "
         "and processes outside it %.0f CPU-seconds (sampled from /proc every 2 s); the busiest others: %s. "
         "Load average over the run: median %s, at most %s."
         % (a.runs, watch.get("ours_cpu_s", 0), watch.get("others_cpu_s", 0),
            ", ".join("%s %.0f s" % (k, v) for k, v in watch.get("others_top", [])[:6]) or "none",
            "%.1f" % watch["load_median"] if watch.get("load_median") is not None else "?",
            "%.1f" % watch["load_max"] if watch.get("load_max") is not None else "?"))
    if a.notes and os.path.exists(a.notes):
        both("")
        both(open(a.notes).read().strip())
    both("")
    both("## Data")
    both("")
    for ds in ds_names:
        both("- **%s**: %s" % (ds, meta["datasets"][ds]["text"]))
    both("- Tile lists: `bench/scale_bench.py pick` (seed %s): the tiles of z16 that a feature's box (with the 64 px "
         "buffer) touches and their parents are the tiles with data; per zoom a seeded sample, zooms with fewer "
         "tiles giving all they have and the others sharing the rest equally, %d tiles in all, each fetched once per "
         "run, sorted by zoom, x, y. The same list for every peer of a dataset." % (meta["seed"], meta["total"]))
    both("")
    both("## How each figure is taken")
    both("")
    both("- **kvarter, load and memory**: `kvarter serve --threads 2 --address 127.0.0.1` under `/usr/bin/time -v`, "
         "config copied with `server.tile_cache_bytes: 1` (no tile fits: every request renders). Load = from "
         "starting the process to the first `GET /health` that answers 200 (polled every 10 ms). *RSS after load* = "
         "`VmHWM` of the process then (the peak so far); *peak* = `/usr/bin/time -v`'s maximum resident set "
         "over the whole run, serving included. *Bytes per feature* = (RSS after load − the same figure for a "
         "config of one layer of one block) / features. A fresh process each run.")
    both("- **kvarter, cold HTTP**: in each of those runs, every tile of the list once on one keep-alive "
         "connection (Python `http.client`, time from sending the request to the last byte), once without "
         "`Accept-Encoding` (raw MVT) and once with `Accept-Encoding: gzip` (the gzip kvarter makes of each "
         "rendered tile), the two passes in alternating order from run to run.")
    both("- **kvarter, in process**: `kvarter_tile_bench` (bench/tile_render_bench.cpp, built by scripts/bench "
         "in the kvarter build folder) loads the same config and calls the tile renderer for every tile of the "
         "list: an untimed pass, then %d timed passes (its own figure for \"each tile once\"; the renderer keeps "
         "nothing between calls with the cache off). No HTTP, no gzip." % a.runs)
    both("- **geojson-vt**: `node bench/geojsonvt/gvt_bench.mjs` (a fresh process each run, under `/usr/bin/time "
         "-v`): reads the same layers converted once to EPSG:4326 by `ogr2ogr -lco COORDINATE_PRECISION=8`, "
         "`JSON.parse` (the million-block file, past V8's string limit, in pieces of 64 MiB), one `GeoJSONVT` "
         "index per layer (`maxZoom` 16, `indexMaxZoom` 5, `tolerance` %s like the tileset's `simplify`, "
         "`extent` 4096, `buffer` 64, `promoteId` the layer's id field): load = read + parse + index. Then every "
         "tile of the list once: `getTile` on each layer's index and `fromGeojsonVt(layers, {version: 2})` to MVT "
         "bytes, timed per tile with `process.hrtime`. Peak RSS: `process.resourceUsage().maxRSS` after load, "
         "`/usr/bin/time -v` for the whole process. geojson-vt keeps every tile it cut (parents included) in "
         "its index, so a second pass in the same process would not be cold: each run is one process."
         % meta["tolerance"])
    both("- **Cached**: kvarter with the cache on (`tile_cache_bytes` 1 GiB) after one request per tile, and "
         "nginx (2 workers, `sendfile on`, `access_log off`) serving the folder `kvarter export --minzoom 10 "
         "--maxzoom 16` wrote, under the same URLs; `wrk -t2 -c32 -d%ss --latency -s bench/tiles.lua` cycling "
         "through the tile list, %d runs each, alternating; no `Accept-Encoding`, so both send the same raw bytes. "
         "As in `scripts/bench tiles`, whose helpers this reuses." % (meta["wrk_seconds"], meta["wrk_runs"]))
    both("- **Outline fidelity**: for a seeded sample of the list's tiles (%s), each peer's tile is decoded (a "
         "small MVT decoder in bench/scale_bench.py) and every feature of it (up to %d a layer and tile, seeded) is "
         "compared with its source polygon (the same GeoJSON converted once to EPSG:3857 by ogr2ogr) put in the "
         "tile's pixels (4096 to a tile): the Hausdorff distance of the outlines where they run inside the tile "
         "square (each vertex of either outline inside the tile, its distance to the other outline whole, GEOS via "
         "shapely; so neither a clipper's edge in the buffer nor a sliver cut off at the tile's edge counts as error, "
         "and a feature whose outline does not enter the tile is left out of it), and the area of the symmetric "
         "difference of the two clipped to the tile square, in pixels². A tile's polygon is its exterior ring less "
         "its holes (geojson-vt leaves a clipped hole touching its exterior along the buffer line). A source feature that crosses the tile square but is not in the tile counts as missing. "
         "PostGIS: `ST_AsMVT(ST_AsMVTGeom(geom, ST_TileEnvelope(z,x,y), 4096, 64, true))` per layer, the way "
         "`scripts/bench tiles` builds its tiles (grid snapping, no further simplification)."
         % (meta.get("sample_text", ""), meta.get("per_tile", 0)))
    both("")

    goals = []
    for ds in ds_names:
        d = meta["datasets"][ds]
        kv = read_json(os.path.join(a.dir, "kvarter-%s.json" % ds))
        rd = read_json(os.path.join(a.dir, "render-%s.json" % ds))
        gv = read_json(os.path.join(a.dir, "gvt-%s.json" % ds))
        empty = read_json(os.path.join(a.dir, "empty.json"))
        tiles = kv["tiles"]
        n = len(tiles)
        features = d["features"]
        runs = kv["runs"]
        kv_load = median(r["load_s"] for r in runs)
        kv_hwm = median(r["hwm_after_load_mb"] for r in runs)
        kv_peak = median(r["peak_mb"] for r in runs)
        empty_mb = median(empty["hwm_mb"])
        bpf = (kv_hwm - empty_mb) * 1048576 / features if kv_hwm else None
        gv_load = median(r["load_ms"] / 1000 for r in gv["runs"])
        gv_parse = median(r["parse_ms"] / 1000 for r in gv["runs"])
        gv_index = median(r["index_ms"] / 1000 for r in gv["runs"])
        gv_hwm = median(r["max_rss_after_load_mb"] for r in gv["runs"])
        gv_peak = median(r["peak_mb"] for r in gv["runs"])
        gv_empty = meta.get("node_empty_mb")
        gbpf = (gv_hwm - gv_empty) * 1048576 / features if gv_empty else None
        raw_s = median(sum(r["raw"]["ms"]) / 1000 for r in runs)
        gz_s = median(sum(r["gzip"]["ms"]) / 1000 for r in runs)
        rd_s = median(sum(run) / 1000 for run in rd["runs"])
        gv_s = median(sum(r["ms"]) / 1000 for r in gv["runs"])
        both("## %s" % d["title"])
        both("")
        both("### Load and memory")
        both("")
        both("| | load (median of %d; min–max) | RSS after load | peak RSS, whole run | bytes per feature |" % a.runs)
        both("|---|---|---|---|---|")
        lo, hi = min(r["load_s"] for r in runs), max(r["load_s"] for r in runs)
        both("| kvarter (serve → first /health 200) | %s (%s–%s) | %s | %s | %s |"
             % (fmt_s(kv_load), fmt_s(lo), fmt_s(hi), fmt_mb(kv_hwm), fmt_mb(kv_peak),
                "%.0f" % bpf if bpf else "–"))
        glo, ghi = min(r["load_ms"] for r in gv["runs"]) / 1000, max(r["load_ms"] for r in gv["runs"]) / 1000
        both("| geojson-vt (read + parse + index; parse %s, index %s) | %s (%s–%s) | %s | %s | %s |"
             % (fmt_s(gv_parse), fmt_s(gv_index), fmt_s(gv_load), fmt_s(glo), fmt_s(ghi), fmt_mb(gv_hwm),
                fmt_mb(gv_peak), "%.0f" % gbpf if gbpf else "–"))
        both("| **ratio kvarter / geojson-vt** | %s | %s | %s | %s |"
             % (fmt_x(ratio(kv_load, gv_load)), fmt_x(ratio(kv_hwm, gv_hwm)), fmt_x(ratio(kv_peak, gv_peak)),
                fmt_x(ratio(bpf, gbpf))))
        both("")
        rtime = os.path.join(a.dir, "render-%s.time" % ds)
        if os.path.exists(rtime):
            both("kvarter_tile_bench (the same config loaded in process, then the renders): peak RSS %s."
                 % fmt_mb(time_v_maxrss_mb(open(rtime).read())))
            both("")
        both("%d features. Empty config (one layer of one block): kvarter %s after load (%s to first answer); "
             "node with geojson-vt and an empty layer: %s. Every run: %s."
             % (features, fmt_mb(empty_mb), fmt_s(median(empty["load_s"])), fmt_mb(gv_empty),
                "; ".join("kvarter %s, %s after load, peak %s" % (fmt_s(r["load_s"]), fmt_mb(r["hwm_after_load_mb"]),
                                                                  fmt_mb(r["peak_mb"])) for r in runs)
                + "; " + "; ".join("geojson-vt %s, %s after load, peak %s" % (fmt_s(r["load_ms"] / 1000),
                                                                            fmt_mb(r["max_rss_after_load_mb"]),
                                                                            fmt_mb(r["peak_mb"])) for r in gv["runs"])))
        both("")
        both("### Cold tiles: %d tiles, each once per run" % n)
        both("")
        both("Seconds for the whole list (sum of the per-tile times; median of %d runs) and tiles per second." % a.runs)
        both("")
        both("| | seconds | tiles/s | bytes (all tiles) |")
        both("|---|---|---|---|")
        raw_bytes = sum(runs[0]["raw"]["bytes"])
        gz_bytes = sum(runs[0]["gzip"]["bytes"])
        gv_bytes = sum(gv["runs"][0]["bytes"])
        rd_bytes = sum(rd["bytes"])
        both("| kvarter HTTP, raw | %.2f | %.0f | %s |" % (raw_s, n / raw_s, fmt_bytes(raw_bytes)))
        both("| kvarter HTTP, gzip | %.2f | %.0f | %s |" % (gz_s, n / gz_s, fmt_bytes(gz_bytes)))
        both("| kvarter in process | %.2f | %.0f | %s |" % (rd_s, n / rd_s, fmt_bytes(rd_bytes)))
        both("| geojson-vt in process (getTile + vt-pbf) | %.2f | %.0f | %s |" % (gv_s, n / gv_s, fmt_bytes(gv_bytes)))
        both("")
        both("Ratios (rates; above 1: the first is faster): kvarter HTTP raw / kvarter in process **%.2f**; "
             "kvarter HTTP gzip / in process %.2f; kvarter HTTP raw / geojson-vt **%.2f**; kvarter in process / "
             "geojson-vt %.2f; kvarter HTTP gzip / geojson-vt %.2f. Bytes: kvarter raw / geojson-vt %.2f; "
             "gzip / raw %.2f. HTTP floor (median `GET /health` on the same connection): %s ms."
             % (rd_s / raw_s, rd_s / gz_s, gv_s / raw_s, gv_s / rd_s, gv_s / gz_s, raw_bytes / gv_bytes if gv_bytes else 0,
                gz_bytes / raw_bytes if raw_bytes else 0, fmt_ms(median(r["http_floor_ms"] for r in runs))))
        both("")
        both("Per zoom: milliseconds per tile, median over the zoom's tiles in each run, median of the runs; "
             "mean bytes per tile.")
        both("")
        head = ["zoom", "tiles", "kv HTTP raw", "kv HTTP gzip", "kv in process", "geojson-vt", "gvt / kv HTTP",
                "kv raw bytes", "kv gzip bytes", "gvt bytes", "kv feat", "empty kv / gvt"]
        both("| " + " | ".join(head) + " |")
        both("|" + "---|" * len(head))
        layers0 = runs[0]["raw"]["layers"]
        for z in sorted({t[0] for t in tiles}) + ["all"]:
            idx = [i for i, t in enumerate(tiles) if z == "all" or t[0] == z]

            def zmed(runs_ms):
                return median(statistics.median(r[i] for i in idx) for r in runs_ms)
            k_raw = zmed([r["raw"]["ms"] for r in runs])
            k_gz = zmed([r["gzip"]["ms"] for r in runs])
            k_rd = zmed(rd["runs"])
            g = zmed([r["ms"] for r in gv["runs"]])
            mean_b = lambda arr: statistics.mean(arr[i] for i in idx)
            feats = sum(sum(layers0[i].values()) for i in idx)
            e_kv = sum(1 for i in idx if runs[0]["raw"]["bytes"][i] == 0)
            e_gv = sum(1 for i in idx if gv["runs"][0]["bytes"][i] == 0)
            both("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d / %d |"
                 % ("**all**" if z == "all" else z, len(idx), fmt_ms(k_raw), fmt_ms(k_gz), fmt_ms(k_rd), fmt_ms(g),
                    fmt_x(ratio(g, k_raw)), fmt_bytes(mean_b(runs[0]["raw"]["bytes"])),
                    fmt_bytes(mean_b(runs[0]["gzip"]["bytes"])), fmt_bytes(mean_b(gv["runs"][0]["bytes"])), feats,
                    e_kv, e_gv))
        both("")
        both("Every run (seconds for the list): kvarter raw %s; gzip %s; in process %s; geojson-vt %s."
             % (", ".join("%.2f" % (sum(r["raw"]["ms"]) / 1000) for r in runs),
                ", ".join("%.2f" % (sum(r["gzip"]["ms"]) / 1000) for r in runs),
                ", ".join("%.2f" % (sum(run) / 1000) for run in rd["runs"]),
                ", ".join("%.2f" % (sum(r["ms"]) / 1000) for r in gv["runs"])))
        both("")
        goals.append((ds, kv_load, kv_peak, kv_hwm, rd_s / raw_s))

        wrk_path = os.path.join(a.dir, "wrk-%s.jsonl" % ds)
        if os.path.exists(wrk_path):
            rows = [json.loads(l) for l in open(wrk_path) if l.strip()]
            k = [r for r in rows if r["server"] == "kvarter"]
            g = [r for r in rows if r["server"] == "nginx"]
            kr, nr = median(r["rps"] for r in k), median(r["rps"] for r in g)
            both("### Cached tiles: kvarter (cache on) vs nginx (the exported files)")
            both("")
            both("| | req/s (median of %d) | p99 ms | MiB/s |" % len(k))
            both("|---|---|---|---|")
            both("| kvarter | %.0f | %s | %.0f |" % (kr, fmt_ms(median(r["p99_ms"] for r in k)), median(r["mib_s"] for r in k)))
            both("| nginx | %.0f | %s | %.0f |" % (nr, fmt_ms(median(r["p99_ms"] for r in g)), median(r["mib_s"] for r in g)))
            both("| **ratio kvarter / nginx** | **%.2f** | | |" % (kr / nr))
            both("")
            both("Every run: " + "; ".join("%s %.0f req/s" % (r["server"], r["rps"]) for r in rows) + ".")
            errs = sorted({"%s: %s" % (r["server"], r["errors"]) for r in rows if r["errors"]})
            if errs:
                both("wrk reported: " + "; ".join(errs) + ".")
            both("")
            goals[-1] = goals[-1] + (kr / nr,)

        fid_path = os.path.join(a.dir, "fidelity-%s.json" % ds)
        if os.path.exists(fid_path):
            fd = read_json(fid_path)
            peers = fd["peers"]
            both("### Outline fidelity")
            both("")
            both("Per zoom, over the sampled features: median (and 95th percentile) Hausdorff distance of the outline "
                 "to the source polygon's, in tile pixels (4096 a tile); median symmetric-difference area in px² and "
                 "as a share of the source's area in the tile; features missing; mean bytes of the sampled tiles.")
            both("")
            head = ["zoom", "tiles", "features"] + ["%s Hausdorff px" % p for p in peers] + \
                   ["%s sym. diff px² (share)" % p for p in peers] + ["missing " + "/".join(peers)] + \
                   ["bytes " + "/".join(peers)]
            both("| " + " | ".join(head) + " |")
            both("|" + "---|" * len(head))
            rowsf = fd["rows"]
            tb = {(p, tuple(t)): b for p, t, b in fd["tile_bytes"]}
            h16 = {}
            for z in sorted({r["z"] for r in rowsf}) + ["all"]:
                sel = [r for r in rowsf if z == "all" or r["z"] == z]
                ztiles = sorted({tuple(r["tile"]) for r in sel})
                cells = []
                for p in peers:
                    hs = sorted(r["hausdorff"] for r in sel if r["peer"] == p and "hausdorff" in r)
                    cells.append("%.2f (%.2f)" % (median(hs), hs[min(len(hs) - 1, int(0.95 * len(hs)))]) if hs else "–")
                    if z == 16 and hs:
                        h16[p] = median(hs)
                for p in peers:
                    sd = [r["symdiff"] for r in sel if r["peer"] == p and "symdiff" in r]
                    share = [r["symdiff"] / r["source_area"] for r in sel if r["peer"] == p and "symdiff" in r]
                    cells.append("%.1f (%.2f %%)" % (median(sd), 100 * median(share)) if sd else "–")
                cells.append("/".join(str(sum(1 for r in sel if r["peer"] == p and r.get("missing"))) for p in peers))
                cells.append("/".join(fmt_bytes(statistics.mean(tb.get((p, t), 0) for t in ztiles)) for p in peers))
                nfeat = len({(tuple(r["tile"]), r["layer"], r["id"]) for r in sel})
                both("| %s | %d | %d | %s |" % ("**all**" if z == "all" else z, len(ztiles), nfeat, " | ".join(cells)))
            both("")
            per_layer = []
            for layer in sorted({r["layer"] for r in rowsf}):
                for z in (12, 16):
                    sel = [r for r in rowsf if r["layer"] == layer and r["z"] == z and "hausdorff" in r]
                    if sel:
                        per_layer.append("%s z%d %s" % (layer, z, ", ".join(
                            "%s %.2f" % (p, median(r["hausdorff"] for r in sel if r["peer"] == p) or 0) for p in peers
                            if any(r["peer"] == p for r in sel))))
            both("Median Hausdorff px by layer: " + "; ".join(per_layer) + ".")
            both("")
            goals[-1] = goals[-1] + (h16,)

    both("## The issue's targets")
    both("")
    for g in goals:
        ds, load, peak, hwm, http_ratio = g[:5]
        rest = g[5:]
        cached = next((x for x in rest if isinstance(x, float)), None)
        h16 = next((x for x in rest if isinstance(x, dict)), None)
        if ds == "city":
            both("- city loads ≤ 2.5 s: %s (%s)" % ("met" if load <= 2.5 else "**not met**", fmt_s(load)))
            both("- city peak ≤ 320 MB: %s (whole run %s, after load %s)" % ("met" if peak and peak <= 320 else "**not met**",
                                                                             fmt_mb(peak), fmt_mb(hwm)))
        else:
            both("- %s loads < 60 s: %s (%s); peak < 2 GiB: %s (%s)"
                 % (ds, "met" if load < 60 else "**not met**", fmt_s(load),
                    "met" if peak and peak < 2048 else "**not met**", fmt_mb(peak)))
        both("- %s cold HTTP ≥ 0.8× in-process rate: %s (%.2f×)" % (ds, "met" if http_ratio >= 0.8 else "**not met**", http_ratio))
        if cached is not None:
            both("- %s cached ≥ 0.9× nginx: %s (%.2f×)" % (ds, "met" if cached >= 0.9 else "**not met**", cached))
        if h16 and "kvarter" in h16 and "postgis" in h16:
            both("- %s z16 outline error no worse than PostGIS: %s (median Hausdorff kvarter %.2f px, PostGIS %.2f px, "
                 "geojson-vt %s)" % (ds, "met" if h16["kvarter"] <= h16["postgis"] else "**not met**", h16["kvarter"],
                                     h16["postgis"], "%.2f px" % h16["geojson-vt"] if "geojson-vt" in h16 else "–"))
    both("")
    both("## Reproduce")
    both("")
    both("```sh\n%s\n```" % a.command)
    both("")
    both("Knobs (environment): %s. It installs what is missing (python3-shapely, nodejs and npm, gdal-bin, wrk, "
         "nginx-light, time, PostgreSQL + PostGIS), runs `npm ci` in bench/geojsonvt, builds `kvarter_tile_bench` "
         "in `$KVARTER_BUILD` (default `build/`, where scripts/setup builds kvarter), generates the data into "
         "`build/bench/scale/` (kept between runs while the generator and its arguments are the same), runs "
         "everything above and rewrites this file. Raw figures: `build/bench/scale/out/`." % meta.get("knobs", ""))
    with open(a.results, "w") as f:
        f.write("\n".join(md).rstrip() + "\n")
    print("\n".join(md))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pick")
    p.add_argument("--out", required=True)
    p.add_argument("--sample-out", required=True)
    p.add_argument("--total", type=int, default=2000)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--minzoom", type=int, default=10)
    p.add_argument("--maxzoom", type=int, default=16)
    p.add_argument("--sample-focus", type=int, default=10, help="outline sample tiles at z12 and z16")
    p.add_argument("--sample-other", type=int, default=3, help="outline sample tiles at the other zooms")
    p.add_argument("files", nargs="+")
    p = sub.add_parser("kvarter")
    p.add_argument("--kvarter", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--sample")
    p.add_argument("--save-dir")
    p.add_argument("--nonempty-out")
    p.add_argument("--logs", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("rss")
    p.add_argument("--kvarter", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--logs", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("geojsonvt")
    p.add_argument("--node", default="node")
    p.add_argument("--heap-mb", type=int, default=16384)
    p.add_argument("--name", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--tolerance", type=float, default=1.0)
    p.add_argument("--max-zoom", type=int, default=16)
    p.add_argument("--sample")
    p.add_argument("--save-dir")
    p.add_argument("--logs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("layers", nargs="+", help="LAYER:ID_FIELD:FILE.geojson (EPSG:4326)")
    p = sub.add_parser("postgis-tiles")
    p.add_argument("--tileset", required=True)
    p.add_argument("--sample", required=True)
    p.add_argument("--save-dir", required=True)
    p.add_argument("--id", action="append", default=[], help="LAYER=ID_FIELD")
    p = sub.add_parser("fidelity")
    p.add_argument("--sample", required=True)
    p.add_argument("--source", action="append", required=True, help="LAYER:ID_FIELD:FILE.geojson (EPSG:3857)")
    p.add_argument("--peer", action="append", required=True, help="NAME=TILE_DIR")
    p.add_argument("--per-tile", type=int, default=200)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--out", required=True)
    p = sub.add_parser("machine-watch", help="run until SIGTERM, then write the summary")
    p.add_argument("--root-pid", type=int, required=True, help="the driver: its process tree is the benchmark's")
    p.add_argument("--out", required=True)
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--datasets", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--command", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--notes")
    a = ap.parse_args()
    if a.cmd == "postgis-tiles":
        a.ids = dict(s.split("=", 1) for s in a.id)
    if a.cmd == "machine-watch":
        w = machine_watch(a.root_pid)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        while not stop.wait(1.0):
            pass
        write_json(a.out, w.summary())
        return
    globals()["cmd_" + a.cmd.replace("-", "_")](a)


if __name__ == "__main__":
    main()
