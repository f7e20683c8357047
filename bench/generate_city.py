#!/usr/bin/env python3
"""Generate a SYNTHETIC city of building blocks for kvarter's tile benchmarks.

Standard library only and deterministic (random.Random(seed)): the same seed
gives the same bytes.  Nothing here is real: the blocks are a jittered grid of
star-shaped polygons (4-12 vertices, about one in five with a courtyard hole)
covering 20 x 20 km of EPSG:25832 (ETRS89 / UTM 32N) around Copenhagen.

    python3 bench/generate_city.py OUT_DIR [--seed 2025] [--count 100000]
        [--cols 400] [--width 20000] [--height 20000]
        [--districts 0] [--district-vertices 20000] [--zones 0]

writes, into OUT_DIR (meant to be under build/, never committed):

    city.geojson        the blocks (GeoJSON with the legacy "crs" member)
    city.json           a kvarter config with the layer "blocks" (and the two below when asked)
    tilesets/default.json   the tileset "default": every layer from zoom 10 to 16

With --districts N (N = a x b, e.g. 10 = 5 x 2) it also writes districts.geojson:
N districts that tile the area exactly (neighbours share their boundary vertex for
vertex), each with about --district-vertices vertices: every boundary edge is a
wiggly line (a few sines and a metre of jitter, fading to nothing at its ends, so
edges never cross).  With --zones N, zones.geojson: N star-shaped zones of 24-200
vertices and 150-600 m across, anywhere in the area (they may overlap).  Both come
from their own random streams, so the blocks are the same bytes with or without them,
and without either flag the output is the same as before they existed.

The grid is --cols columns over --width x --height metres centred on the same point;
the cells are (width / cols) x (height / rows).  For a layer of a million blocks of
the same 50 x 80 m cells: --count 1000000 --cols 1000 --width 50000 --height 80000.
"""

import argparse
import json
import math
import os
import random

CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}

# By default 20 x 20 km centred near Copenhagen's city hall (EPSG:25832 metres): X0, Y0 is the
# lower left corner, set by main() from the centre and the size.
CX, CY = 723250.0, 6175300.0
X0, Y0 = 713250.0, 6165300.0
WIDTH = HEIGHT = 20000.0
COLS = 400  # 400 x 250 cells of 50 x 80 m: exactly 100,000 at the default count
STREET = 6.0  # half the street width around each block, metres


def ring_text(ring):
    return "[" + ", ".join("[%.2f, %.2f]" % p for p in ring) + "]"


def star(rng, cx, cy, rx, ry, n, rmin, rmax, jitter):
    """A star-shaped ring around (cx, cy): angles sorted, so it never crosses itself."""
    phase = rng.uniform(0, 2 * math.pi)
    points = []
    for i in range(n):
        a = phase + 2 * math.pi * (i + rng.uniform(-jitter, jitter)) / n
        r = rng.uniform(rmin, rmax)
        points.append((cx + rx * r * math.cos(a), cy + ry * r * math.sin(a)))
    points.append(points[0])
    return points


def block(rng, col, row, cw, ch):
    """One block in its cell: exterior counter-clockwise, an optional hole clockwise."""
    cx = X0 + (col + 0.5) * cw + rng.uniform(-3, 3)
    cy = Y0 + (row + 0.5) * ch + rng.uniform(-3, 3)
    # Keep every vertex inside the cell minus the street, whatever the jitter.
    rx = cw / 2 - STREET - 3
    ry = ch / 2 - STREET - 3
    n = rng.randint(4, 12)
    # A square-ish corner layout for four vertices, a rounder one for more.
    exterior = star(rng, cx, cy, rx, ry, n, 0.75, 1.0, 0.3 if n > 4 else 0.1)
    rings = [exterior]
    if n >= 6 and rng.random() < 0.25:
        # With n >= 6 and jitter 0.3 the largest angular gap is under 96 degrees, so the
        # exterior contains the ellipse at 0.75 * cos(48 deg) ~ 0.5; a hole under 0.4 fits.
        hole = star(rng, cx, cy, rx, ry, rng.randint(4, 6), 0.25, 0.38, 0.1)
        hole.reverse()
        rings.append(hole)
    return rings


def wiggle_edge(rng, p, q, spacing, amplitude):
    """The points of one boundary edge from p to q (both included), about `spacing` apart: the
    straight line bent sideways by a few sines and a little jitter, all times sin(pi t), so the
    edge leaves its ends inside a narrow cone and is a graph over the line: it never crosses
    itself or an edge that meets it at a right angle."""
    (x0, y0), (x1, y1) = p, q
    length = math.hypot(x1 - x0, y1 - y0)
    n = max(2, int(round(length / spacing)))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    waves = [(rng.uniform(0.3, 1.0) / k, rng.randint(1, 3) * k, rng.uniform(0, 2 * math.pi)) for k in (1, 3, 9, 27)]
    total = sum(a for a, _, _ in waves)
    points = []
    for i in range(n + 1):
        t = i / n
        env = math.sin(math.pi * t)
        off = amplitude * sum(a * math.sin(2 * math.pi * f * t + ph) for a, f, ph in waves) / total
        off = env * (off + rng.uniform(-0.6, 0.6))
        points.append((x0 + ux * length * t + nx * off, y0 + uy * length * t + ny * off))
    points[0], points[-1] = p, q  # the ends exactly, so neighbours share them
    return points


def districts(seed, count, vertices):
    """count districts on an a x b grid over the area (a the largest divisor of count up to its
    square root rows, b columns), each a counter-clockwise ring of shared wiggly edges."""
    rows = max(d for d in range(1, int(math.isqrt(count)) + 1) if count % d == 0)
    cols = count // rows
    w, h = WIDTH / cols, HEIGHT / rows
    spacing = 2 * (w + h) / vertices
    rng = random.Random(seed * 1000 + 1)
    node = lambda c, r: (X0 + c * w, Y0 + r * h)
    # Every edge once, in a fixed order, from its own draws: horizontal ones left to right,
    # vertical ones bottom to top; a district walks them forwards or backwards.
    horizontal = {(c, r): wiggle_edge(rng, node(c, r), node(c + 1, r), spacing, min(w, h) * 0.03)
                  for r in range(rows + 1) for c in range(cols)}
    vertical = {(c, r): wiggle_edge(rng, node(c, r), node(c, r + 1), spacing, min(w, h) * 0.03)
                for c in range(cols + 1) for r in range(rows)}
    out = []
    for r in range(rows):
        for c in range(cols):
            ring = horizontal[(c, r)][:-1] + vertical[(c + 1, r)][:-1]
            ring += horizontal[(c, r + 1)][::-1][:-1] + vertical[(c, r)][::-1]
            out.append(ring)
    return out


def zones(seed, count):
    rng = random.Random(seed * 1000 + 2)
    out = []
    for _ in range(count):
        r = rng.uniform(150, 600)
        cx = rng.uniform(X0 + r, X0 + WIDTH - r)
        cy = rng.uniform(Y0 + r, Y0 + HEIGHT - r)
        out.append(star(rng, cx, cy, r, r * rng.uniform(0.6, 1.0), rng.randint(24, 200), 0.7, 1.0, 0.3))
    return out


def write_layer(path, name, features):
    """features: (properties, rings) pairs, one Polygon each."""
    with open(path + ".partial", "w", encoding="utf-8", newline="\n") as out:
        out.write('{\n"type": "FeatureCollection",\n"name": "%s",\n' % name)
        out.write('"crs": ' + json.dumps(CRS) + ',\n"features": [\n')
        for i, (props, rings) in enumerate(features):
            geom = '{"type": "Polygon", "coordinates": [' + ", ".join(ring_text(r) for r in rings) + "]}"
            sep = ",\n" if i + 1 < len(features) else "\n"
            out.write('{"type": "Feature", "properties": ' + json.dumps(props, ensure_ascii=False) +
                      ', "geometry": ' + geom + "}" + sep)
        out.write("]\n}\n")
    os.replace(path + ".partial", path)


def main():
    global X0, Y0, WIDTH, HEIGHT, COLS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="folder to write into (created)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--cols", type=int, default=COLS, help="columns of the block grid")
    ap.add_argument("--width", type=float, default=WIDTH, help="east-west size of the area, metres")
    ap.add_argument("--height", type=float, default=HEIGHT, help="north-south size of the area, metres")
    ap.add_argument("--districts", type=int, default=0, help="also write this many districts (0: none)")
    ap.add_argument("--district-vertices", type=int, default=20000, help="about this many vertices each")
    ap.add_argument("--zones", type=int, default=0, help="also write this many zones (0: none)")
    args = ap.parse_args()
    COLS, WIDTH, HEIGHT = args.cols, args.width, args.height
    X0, Y0 = CX - WIDTH / 2, CY - HEIGHT / 2

    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "tilesets"), exist_ok=True)
    rows = -(-args.count // COLS)
    cw, ch = WIDTH / COLS, HEIGHT / max(rows, 1)
    holes = 0
    path = os.path.join(args.out, "city.geojson")
    with open(path + ".partial", "w", encoding="utf-8", newline="\n") as out:
        out.write('{\n"type": "FeatureCollection",\n"name": "synthetic_city_blocks",\n')
        out.write('"crs": ' + json.dumps(CRS) + ',\n"features": [\n')
        for i in range(args.count):
            row, col = divmod(i, COLS)
            rings = block(rng, col, row, cw, ch)
            holes += len(rings) > 1
            # Denser, taller and older towards the centre, like a real city (but synthetic).
            d = math.hypot(col / COLS - 0.5, row / max(rows, 1) - 0.5) * 2
            floors = max(1, int(round(rng.gauss(6 - 4 * min(d, 1), 1.2))))
            props = {
                "block_id": i + 1,
                "name": "Synthetic block %d-%d" % (row + 1, col + 1),
                "district_no": 1 + (row * 4 // max(rows, 1)) * 4 + col * 4 // COLS,
                "floors": floors,
                "dwellings": floors * rng.randint(4, 30),
                "built": rng.randint(1860, 2024),
                "green_share": round(rng.uniform(0, 0.6), 3),
            }
            geom = '{"type": "Polygon", "coordinates": [' + ", ".join(ring_text(r) for r in rings) + "]}"
            sep = ",\n" if i + 1 < args.count else "\n"
            out.write('{"type": "Feature", "properties": ' + json.dumps(props, ensure_ascii=False) +
                      ', "geometry": ' + geom + "}" + sep)
        out.write("]\n}\n")
    os.replace(path + ".partial", path)

    config = {
        "title": "SYNTHETIC city of %d building blocks (kvarter tile benchmark)" % args.count,
        "description": "Made by bench/generate_city.py (seed %d): a jittered grid of star-shaped blocks "
                       "around Copenhagen. Nothing in it is real." % args.seed,
        "analysis_crs": "EPSG:25832",
        "tilesets": "tilesets",
        "layers": [{
            "id": "blocks",
            "title": "Synthetic building blocks",
            "source": "city.geojson",
            "id_field": "block_id",
            "name_field": "name",
            "role": "none",
        }],
    }
    extra = []  # (layer id, title, file, id field, features)
    if args.districts:
        rings = districts(args.seed, args.districts, args.district_vertices)
        extra.append(("districts", "Synthetic districts", "districts.geojson", "district_no",
                      [({"district_no": i + 1, "name": "Synthetic district %d" % (i + 1)}, [ring])
                       for i, ring in enumerate(rings)]))
    if args.zones:
        zrng = random.Random(args.seed * 1000 + 3)
        feats = []
        for i, ring in enumerate(zones(args.seed, args.zones)):
            start = zrng.randint(2005, 2022)
            feats.append(({"zone_id": i + 1, "name": "Synthetic zone %d" % (i + 1), "start_year": start,
                           "end_year": start + zrng.randint(3, 7)}, [ring]))
        extra.append(("zones", "Synthetic zones", "zones.geojson", "zone_id", feats))
    for name in ("districts.geojson", "zones.geojson"):
        if name not in [e[2] for e in extra] and os.path.exists(os.path.join(args.out, name)):
            os.remove(os.path.join(args.out, name))
    for lid, title, name, id_field, feats in extra:
        write_layer(os.path.join(args.out, name), "synthetic_city_" + lid, feats)
        # role none like the blocks: no joins or highlight flags, so every peer tiles the same properties.
        config["layers"].append({"id": lid, "title": title, "source": name, "id_field": id_field,
                                 "name_field": "name", "role": "none"})
    with open(os.path.join(args.out, "city.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    tileset = {
        "name": "default",
        "title": "Synthetic blocks",
        "description": "The synthetic city's blocks, zoom 10 to 16.",
        "extent": 4096,
        "buffer": 64,
        "layers": [{"layer": "blocks", "minzoom": 10, "maxzoom": 16, "simplify": 1.0}],
    }
    if extra:
        # Areas under the blocks, as a map draws them: districts, then zones, then blocks.
        tileset["description"] = "The synthetic city's %s and blocks, zoom 10 to 16." % " and ".join(e[0] for e in extra)
        tileset["layers"] = [{"layer": e[0], "minzoom": 10, "maxzoom": 16, "simplify": 1.0} for e in extra] + tileset["layers"]
    with open(os.path.join(args.out, "tilesets", "default.json"), "w", encoding="utf-8") as f:
        json.dump(tileset, f, indent=2)
        f.write("\n")
    print("generate_city: %d synthetic blocks (%d with a hole) in %s" % (args.count, holes, path))
    for lid, _, name, _, feats in extra:
        n = [sum(len(r) - 1 for r in rings) for _, rings in feats]
        print("generate_city: %d synthetic %s of %d-%d vertices (%d in all) in %s"
              % (len(feats), lid, min(n), max(n), sum(n), os.path.join(args.out, name)))


if __name__ == "__main__":
    main()
