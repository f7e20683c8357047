#!/usr/bin/env python3
"""Write geodata/copenhagen/figures/*.csv from the published figures.

    python3 geodata/copenhagen/import_figures.py PUBLIC_FIGURES_DIR [OUT_DIR]

PUBLIC_FIGURES_DIR is the shared public-figures/ folder (see its README); OUT_DIR defaults to
figures/ beside this script. District names are mapped to bydel_nr through the navn of
layers/districts.fgb, so import.sh writes that layer first. Values are copied as published (text, not re-formatted); only the
keys are added or mapped. Any name that does not map stops the script. Standard library only;
the output is the same bytes on every run.
"""

import csv
import io
import json
import os
import subprocess
import sys

# The ministry's area names (as the list documents write them) and their slugs. "Stærevej" (the
# 2016 list) and "Stærevej mv" (2012-2015) are one area; "Degnegården mv" likewise.
LIST_AREA_IDS = {
    "Akacieparken": "akacieparken",
    "Aldersrogade": "aldersrogade",
    "Bispeparken": "bispeparken",
    "Blågården": "blaagaarden",
    "Degnegården mv": "degnegaarden",
    "Gadelandet/Husumgård": "gadelandet-husumgaard",
    "Hørgården": "hoergaarden",
    "Lundtoftegade": "lundtoftegade",
    "Mjølnerparken": "mjoelnerparken",
    "Sjælør Boulevard": "sjaeloer-boulevard",
    "Stærevej": "staerevej",
    "Stærevej mv": "staerevej",
    "Tingbjerg/Utterslevhuse": "tingbjerg-utterslevhuse",
}

# District names as the statistics bank writes them -> navn in bydel.json (layers/districts.fgb),
# whose bydel_nr is then looked up in the layer. Only Vesterbro is spelt differently.
DISTRICT_NAMES = {
    "Amager Vest": "Amager Vest",
    "Amager Øst": "Amager Øst",
    "Bispebjerg": "Bispebjerg",
    "Brønshøj-Husum": "Brønshøj-Husum",
    "Indre By": "Indre By",
    "Nørrebro": "Nørrebro",
    "Valby": "Valby",
    "Vanløse": "Vanløse",
    "Vesterbro/Kongens Enghave": "Vesterbro-Kongens Enghave",
    "Østerbro": "Østerbro",
}

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    sys.exit("import_figures.py: " + message)


def read_rows(path, header):
    """The rows of a CSV file as lists of text, after checking its header."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        fail(path + ": unexpected byte order mark")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0] != header:
        fail("%s: header is %s, expected %s" % (path, rows[0] if rows else "missing", header))
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            fail("%s:%d: %d cells, expected %d" % (path, number, len(row), len(header)))
    return text, rows[1:]


def layer_district_numbers():
    """navn -> bydel_nr, read from layers/districts.fgb (written by import.sh before this)."""
    path = os.path.join(HERE, "layers", "districts.fgb")
    try:
        text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path],
                              check=True, capture_output=True, encoding="utf-8").stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail("cannot read %s: %s" % (path, e))
    numbers = {}
    for feature in json.loads(text)["features"]:
        numbers[feature["properties"]["navn"]] = int(feature["properties"]["bydel_nr"])
    if sorted(numbers.values()) != list(range(1, 11)):
        fail("%s: expected bydel_nr 1-10, got %s" % (path, sorted(numbers.values())))
    return numbers


DISTRICT_NUMBERS = {}   # navn of layers/districts.fgb -> bydel_nr, filled by main()


def district_number(name, where):
    if name not in DISTRICT_NAMES:
        fail("%s: district %r is not in DISTRICT_NAMES" % (where, name))
    if DISTRICT_NAMES[name] not in DISTRICT_NUMBERS:
        fail("%s: %r is not a navn of layers/districts.fgb" % (where, DISTRICT_NAMES[name]))
    return DISTRICT_NUMBERS[DISTRICT_NAMES[name]]


def write_csv(path, header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    print("figures/%s: %d rows" % (os.path.basename(path), len(rows)))


def ministry_lists(source_dir, out_dir):
    path = os.path.join(source_dir, "ministry_lists_copenhagen_2010_2017.csv")
    header = ["list_year", "area", "municipality", "residents", "outside_work_education_pct",
              "non_western_pct", "convicted_pct", "basic_schooling_pct", "income_pct_of_region",
              "on_list", "new_on_list"]
    text, rows = read_rows(path, header)
    # The published file has CRLF line endings; the copy gets "\n", the lines stay as they are.
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(lines) != len(rows) + 1 or any('"' in line or "\r" in line for line in lines):
        fail(path + ": expected one unquoted row per line")
    if len(rows) != 63:
        fail("%s: %d rows, expected 63" % (path, len(rows)))
    out = ["area_id," + lines[0]]
    for line, row in zip(lines[1:], rows):
        area = row[1]
        if area not in LIST_AREA_IDS:
            fail("%s: area %r has no area_id" % (path, area))
        out.append(LIST_AREA_IDS[area] + "," + line)   # the published line itself, unchanged
    target = os.path.join(out_dir, "ministry_lists_2010_2017.csv")
    with open(target, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(out) + "\n")
    print("figures/ministry_lists_2010_2017.csv: %d rows, %d areas"
          % (len(rows), len(set(LIST_AREA_IDS[r[1]] for r in rows))))


def average_income(source_dir, out_dir):
    path = os.path.join(source_dir, "districts_average_income_2010_2019.csv")
    _, rows = read_rows(path, ["bydel_nr", "district", "year", "average_income_dkk"])
    out = []
    for bydel_nr, district, year, income in rows:
        if int(bydel_nr) != district_number(district, path):
            fail("%s: bydel_nr %s does not match district %r" % (path, bydel_nr, district))
        out.append([bydel_nr, year, income])
    out.sort(key=lambda r: (int(r[0]), int(r[1])))
    write_csv(os.path.join(out_dir, "districts_average_income_2010_2019.csv"),
              ["bydel_nr", "year", "average_income_dkk"], out)


def population_and_income(source_dir, out_dir):
    path = os.path.join(source_dir, "districts_population_income.csv")
    _, rows = read_rows(path, ["district", "year", "pop_total", "danish", "western", "non_western",
                               "non_western_share_pct", "suppressed_cells",
                               "disposable_income_mean_dkk", "personal_income_mean_dkk"])
    population = []
    income = []
    for district, year, total, danish, western, non_western, share, suppressed, disposable, personal in rows:
        bydel_nr = str(district_number(district, path))
        population.append([bydel_nr, year, total, danish, western, non_western, share, suppressed])
        if disposable or personal:
            income.append([bydel_nr, year, disposable, personal])
    key = lambda r: (int(r[0]), int(r[1]))
    population.sort(key=key)
    income.sort(key=key)
    write_csv(os.path.join(out_dir, "districts_population_origin_1986_2025.csv"),
              ["bydel_nr", "year", "population", "danish", "western", "non_western",
               "non_western_share_pct", "suppressed_cells"], population)
    write_csv(os.path.join(out_dir, "districts_income_1987_2024.csv"),
              ["bydel_nr", "year", "disposable_income_mean_dkk", "personal_income_mean_dkk"], income)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: import_figures.py PUBLIC_FIGURES_DIR [OUT_DIR]")
    source_dir = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.join(HERE, "figures")
    os.makedirs(out_dir, exist_ok=True)
    DISTRICT_NUMBERS.update(layer_district_numbers())
    ministry_lists(source_dir, out_dir)
    average_income(source_dir, out_dir)
    population_and_income(source_dir, out_dir)


if __name__ == "__main__":
    main()
