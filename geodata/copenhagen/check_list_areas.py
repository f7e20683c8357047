#!/usr/bin/env python3
"""Check list_areas.csv against the housing departments layer and the ministry's figures.

    python3 geodata/copenhagen/check_list_areas.py

Reads layers/housing_departments.gpkg (through an ogr2ogr GeoJSON subprocess), list_areas.csv
and figures/ministry_lists_2010_2017.csv, all beside this script. Fails (exit 1) when a
department_id is not in the layer, when its department_name is not the layer's afdelingsnavn
exactly, when a department is listed twice, or when the list areas of list_areas.csv and of
the ministry file differ. Prints per area: departments, dwellings, the residents the ministry
published for the area's latest list year, and residents per dwelling.
"""

import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_layer():
    path = os.path.join(HERE, "layers", "housing_departments.gpkg")
    text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path],
                          check=True, capture_output=True, encoding="utf-8").stdout
    return {f["properties"]["v_id"]: f["properties"] for f in json.loads(text)["features"]}


def read_csv(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    departments = read_layer()
    rows = read_csv("list_areas.csv")
    lists = read_csv(os.path.join("figures", "ministry_lists_2010_2017.csv"))

    errors = []
    latest = {}   # area_id -> (list_year, residents) of the latest list year
    for row in lists:
        year = int(row["list_year"])
        if row["area_id"] not in latest or year > latest[row["area_id"]][0]:
            latest[row["area_id"]] = (year, int(row["residents"]))

    areas = {}    # area_id -> (area_name, [department properties])
    seen = {}
    for number, row in enumerate(rows, start=2):
        where = "list_areas.csv:%d" % number
        if not row["reason"].strip():
            errors.append("%s: no reason" % where)
        name, members = areas.setdefault(row["area_id"], (row["area_name"], []))
        if name != row["area_name"]:
            errors.append("%s: area_name %r, earlier %r" % (where, row["area_name"], name))
        if row["department_id"] == "":
            if row["department_name"] != "":
                errors.append("%s: a department_name without department_id" % where)
            continue
        v_id = int(row["department_id"])
        if v_id in seen:
            errors.append("%s: department %d is already in %s" % (where, v_id, seen[v_id]))
        seen[v_id] = row["area_id"]
        if v_id not in departments:
            errors.append("%s: department_id %d is not in the layer" % (where, v_id))
            continue
        if departments[v_id]["afdelingsnavn"] != row["department_name"]:
            errors.append("%s: department %d is %r in the layer, not %r"
                          % (where, v_id, departments[v_id]["afdelingsnavn"], row["department_name"]))
        members.append(departments[v_id])

    if set(areas) != set(latest):
        errors.append("list areas differ: only in list_areas.csv %s; only in the ministry file %s"
                      % (sorted(set(areas) - set(latest)), sorted(set(latest) - set(areas))))

    print("%-24s %5s %9s %16s %12s" % ("area", "depts", "dwellings", "residents (year)", "per dwelling"))
    for area_id in sorted(areas):
        name, members = areas[area_id]
        dwellings = sum(m["dwellings"] for m in members)
        year, residents = latest.get(area_id, (0, 0))
        ratio = "%.2f" % (residents / dwellings) if dwellings else "-"
        print("%-24s %5d %9d %9d (%d) %12s" % (area_id, len(members), dwellings, residents, year, ratio))

    if errors:
        for e in errors:
            print("check_list_areas.py: " + e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
