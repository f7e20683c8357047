#!/usr/bin/env python3
"""Write the SYNTHETIC indicator tables for the real Copenhagen layers.

    python3 geodata/copenhagen/synthetic/generate.py [--out DIR]

None of these numbers is published anywhere: department-level shares (the "40 plus" share),
employment, education, turnout and safety per district are not public (see geodata/README.md).
They are random numbers shaped like the city: worse inside the 2017 deprived areas and in the
districts they cover most, moving together and changing slowly from year to year.

Reads layers/districts.fgb, layers/deprived_areas_2017.fgb and layers/housing_departments.gpkg
(through ogr2ogr GeoJSON subprocesses; coordinates in EPSG:25832 metres) and writes, into DIR
(default: this folder):
  districts_synthetic.csv    bydel_nr,year,...   years 2010-2019
  departments_synthetic.csv  department_id,year,...   every v_id of the layer, years 2011-2013
Standard library only, random.Random(2011): the output is the same bytes on every run.
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS = os.path.join(os.path.dirname(HERE), "layers")

DISTRICT_YEARS = range(2010, 2020)
DEPARTMENT_YEARS = range(2011, 2014)
GRID_M = 50.0        # spacing of the sample points that measure deprived-area coverage
FORTY = 40.0         # the "40 plus" line; no value is ever exactly this


def read_layer(name):
    path = os.path.join(LAYERS, name + ".fgb")
    if not os.path.exists(path):
        path = os.path.join(LAYERS, name + ".gpkg")
    try:
        text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path],
                              check=True, capture_output=True, encoding="utf-8").stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("generate.py: cannot read %s: %s" % (path, e))
    return json.loads(text)["features"]


# --- plain polygon geometry (lists of rings of (x, y)) -----------------------------------

def polygons(geometry):
    """The polygons of a (Multi)Polygon as lists of rings."""
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError("not a polygon: " + geometry["type"])


def ring_area_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2.0
    if a == 0.0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a), cx / (6.0 * a), cy / (6.0 * a)


def in_ring(x, y, ring):
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


class Area:
    """A (multi)polygon with its bounding box, for point-in-polygon tests."""

    def __init__(self, geometry):
        self.polygons = [[[(p[0], p[1]) for p in ring] for ring in poly] for poly in polygons(geometry)]
        xs = [p[0] for poly in self.polygons for p in poly[0]]
        ys = [p[1] for poly in self.polygons for p in poly[0]]
        self.box = (min(xs), min(ys), max(xs), max(ys))

    def contains(self, x, y):
        x0, y0, x1, y1 = self.box
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        for poly in self.polygons:
            if in_ring(x, y, poly[0]) and not any(in_ring(x, y, hole) for hole in poly[1:]):
                return True
        return False

    def point(self):
        """A point of the area: the centroid of its largest outer ring, or a vertex of it."""
        best = max(self.polygons, key=lambda poly: ring_area_centroid(poly[0])[0])
        _, x, y = ring_area_centroid(best[0])
        if self.contains(x, y):
            return x, y
        return best[0][0]


# --- the shape of the city -------------------------------------------------------------------

def district_coverage(districts, deprived):
    """bydel_nr -> share (0..1) of the district's area inside a 2017 deprived area, measured on
    a GRID_M grid of sample points."""
    coverage = {}
    for nr, area in districts.items():
        x0, y0, x1, y1 = area.box
        total = inside = 0
        y = math.floor(y0 / GRID_M) * GRID_M + GRID_M / 2
        while y < y1:
            x = math.floor(x0 / GRID_M) * GRID_M + GRID_M / 2
            while x < x1:
                if area.contains(x, y):
                    total += 1
                    if any(d.contains(x, y) for d in deprived):
                        inside += 1
                x += GRID_M
            y += GRID_M
        coverage[nr] = inside / total if total else 0.0
    return coverage


def district_of(x, y, districts):
    for nr in sorted(districts):
        if districts[nr].contains(x, y):
            return nr
    # on a border or just outside the coast: the district with the nearest vertex
    def distance(nr):
        return min((px - x) ** 2 + (py - y) ** 2
                   for poly in districts[nr].polygons for px, py in poly[0])
    return min(sorted(districts), key=distance)


def clamp(value, low, high):
    return max(low, min(high, value))


def share(value):
    """One decimal, never exactly the 40 % line."""
    text = "%.1f" % value
    if float(text) == FORTY:
        text = "40.1" if value >= FORTY else "39.9"
    return text


# --- the tables ----------------------------------------------------------------------------

def districts_table(rng, coverage):
    rows = []
    for nr in sorted(coverage):
        c = coverage[nr]
        # persistent character of the district, then a slow drift year by year
        olf = 10.0 + 30.0 * c + rng.gauss(0.0, 1.0)
        emp_offset = rng.gauss(0.0, 1.0)
        edu_offset = rng.gauss(0.0, 1.5)
        vote_offset = rng.gauss(0.0, 1.5)
        safe_offset = rng.gauss(0.0, 1.5)
        for year in DISTRICT_YEARS:
            employment = 77.0 - 0.95 * (olf - 10.0) + emp_offset + rng.gauss(0.0, 0.2)
            basic = 14.0 + 0.9 * (olf - 10.0) + edu_offset + rng.gauss(0.0, 0.2)
            turnout = 75.0 - 0.9 * (olf - 10.0) + vote_offset + rng.gauss(0.0, 0.4)
            safety = 86.0 - 1.0 * (olf - 10.0) + safe_offset + rng.gauss(0.0, 0.4)
            rows.append([nr, year, share(clamp(olf, 3.0, 60.0)),
                         share(clamp(employment, 40.0, 90.0)), share(clamp(basic, 5.0, 60.0)),
                         share(clamp(turnout, 40.0, 92.0)), share(clamp(safety, 40.0, 98.0))])
            olf += rng.gauss(-0.2, 0.25)
            edu_offset += rng.gauss(-0.1, 0.1)
    return rows


def departments_table(rng, departments, districts, deprived, coverage):
    rows = []
    for v_id in sorted(departments):
        props, area = departments[v_id]
        x, y = area.point()
        inside = any(d.contains(x, y) for d in deprived)
        c = coverage[district_of(x, y, districts)]
        z = rng.gauss(1.1, 0.7) if inside else rng.gauss(-0.45, 0.85)
        olf = 24.0 + 8.0 * z + 15.0 * c + rng.gauss(0.0, 2.0)
        per_dwelling = rng.uniform(1.6, 2.4)
        education = rng.uniform(7.0, 15.0)        # in education: neither employed nor "outside"
        income_offset = rng.gauss(0.0, 18000.0)
        edu_offset = rng.gauss(0.0, 4.0)
        vote_offset = rng.gauss(0.0, 3.0)
        safe_offset = rng.gauss(0.0, 4.0)
        for year in DEPARTMENT_YEARS:
            olf = clamp(olf, 4.0, 72.0)
            residents = max(1, round(props["dwellings"] * per_dwelling * (1.0 + rng.gauss(0.0, 0.015))))
            employment = 100.0 - olf - education + rng.gauss(0.0, 0.8)
            income = 385000.0 - 5200.0 * (olf - 20.0) + income_offset + rng.gauss(0.0, 3000.0)
            basic = 17.0 + 0.9 * (olf - 20.0) + edu_offset + rng.gauss(0.0, 0.8)
            turnout = 77.0 - 0.8 * (olf - 20.0) + vote_offset + rng.gauss(0.0, 1.0)
            safety = 83.0 - 0.7 * (olf - 20.0) + safe_offset + rng.gauss(0.0, 1.2)
            rows.append([v_id, year, residents, share(olf), share(clamp(employment, 10.0, 92.0)),
                         int(round(max(120000.0, income), -2)), share(clamp(basic, 3.0, 85.0)),
                         share(clamp(turnout, 20.0, 92.0)), share(clamp(safety, 15.0, 98.0))])
            olf += rng.gauss(-0.4, 2.6)
    return rows


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=HERE, help="output folder (default: %(default)s)")
    args = parser.parse_args()

    districts = {int(f["properties"]["bydel_nr"]): Area(f["geometry"]) for f in read_layer("districts")}
    deprived = [Area(f["geometry"]) for f in sorted(read_layer("deprived_areas_2017"),
                                                     key=lambda f: f["properties"]["area_id"])]
    departments = {f["properties"]["v_id"]: (f["properties"], Area(f["geometry"]))
                   for f in read_layer("housing_departments") if f["geometry"] is not None}

    rng = random.Random(2011)
    coverage = district_coverage(districts, deprived)
    district_rows = districts_table(rng, coverage)
    department_rows = departments_table(rng, departments, districts, deprived, coverage)

    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "districts_synthetic.csv"),
          ["bydel_nr", "year", "outside_labour_force_share", "employment_rate",
           "basic_schooling_share", "voter_turnout", "safety_index"], district_rows)
    write(os.path.join(args.out, "departments_synthetic.csv"),
          ["department_id", "year", "residents", "outside_labour_force_share", "employment_rate",
           "average_income_dkk", "basic_schooling_share", "voter_turnout", "safety_index"],
          department_rows)

    for year in DEPARTMENT_YEARS:
        above = sum(1 for r in department_rows if r[1] == year and float(r[3]) > FORTY)
        print("synthetic/departments_synthetic.csv: %d: %d of %d departments above 40 %%"
              % (year, above, len(departments)))
    print("synthetic/districts_synthetic.csv: coverage by the 2017 deprived areas: "
          + ", ".join("%d %.1f %%" % (nr, 100 * coverage[nr]) for nr in sorted(coverage)))


if __name__ == "__main__":
    main()
