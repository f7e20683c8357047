#!/usr/bin/env python3
"""Generate a SYNTHETIC city of building blocks for kvarter's tile benchmark.

Standard library only and deterministic (random.Random(seed)): the same seed
gives the same bytes.  Nothing here is real: the blocks are a jittered grid of
star-shaped polygons (4-12 vertices, about one in five with a courtyard hole)
covering 20 x 20 km of EPSG:25832 (ETRS89 / UTM 32N) around Copenhagen.

    python3 bench/generate_city.py OUT_DIR [--seed 2025] [--count 100000]

writes, into OUT_DIR (meant to be under build/, never committed):

    city.geojson        the blocks (GeoJSON with the legacy "crs" member)
    city.json           a kvarter config with one layer "blocks"
    tilesets/default.json   the tileset "default": blocks from zoom 10 to 16
"""

import argparse
import json
import math
import os
import random

CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}

# 20 x 20 km centred near Copenhagen's city hall (EPSG:25832 metres).
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="folder to write into (created)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--count", type=int, default=100000)
    args = ap.parse_args()

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
    with open(os.path.join(args.out, "tilesets", "default.json"), "w", encoding="utf-8") as f:
        json.dump(tileset, f, indent=2)
        f.write("\n")
    print("generate_city: %d synthetic blocks (%d with a hole) in %s" % (args.count, holes, path))


if __name__ == "__main__":
    main()
