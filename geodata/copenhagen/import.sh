#!/usr/bin/env bash
# Maintainer import of the real Copenhagen layers and published figures.
#
#   geodata/copenhagen/import.sh [SHARED]
#
# SHARED is the folder holding kbh-open-data/ and public-figures/ (default: ../shared relative
# to the repository root). It is read only here: nothing in the repository reads it at run time.
# Writes geodata/copenhagen/layers/*.fgb (EPSG:25832), geodata/copenhagen/figures/*.csv and
# geodata/copenhagen/synthetic/*.csv, then checks list_areas.csv against the housing layer.
# Re-running it gives byte-identical files (with the same GDAL and PROJ).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${1:-$repo/../shared}"
shared="$(cd "$shared" && pwd)"
src="$shared/kbh-open-data"
pub="$shared/public-figures"
out="$here/layers"

for tool in ogr2ogr ogrinfo python3; do
    command -v "$tool" >/dev/null || { echo "import.sh: $tool is not installed" >&2; exit 1; }
done
for f in bydel.json f_udsatte_byomraader.json almene_boliger_kk.json byfornyelse_kk.json \
         legeplads.json biblioteker.json kulturhus.json; do
    [[ -f "$src/$f" ]] || { echo "import.sh: missing $src/$f" >&2; exit 1; }
done
mkdir -p "$out"

# convert NAME SOURCE [ogr2ogr options...]: SOURCE (GeoJSON, EPSG:4326) -> layers/NAME.fgb in
# EPSG:25832, layer NAME, with FlatGeobuf's packed Hilbert R-tree (features are stored in index
# order, not source order). An existing output is removed first: FlatGeobuf cannot be updated.
convert() {
    local name="$1" source="$2"
    shift 2
    rm -f "$out/$name.fgb"
    ogr2ogr -f FlatGeobuf -t_srs EPSG:25832 -nln "$name" "$@" "$out/$name.fgb" "$src/$source"
}

convert districts bydel.json \
    -sql "SELECT CAST(bydel_nr AS integer) AS bydel_nr, navn FROM bydel"

convert deprived_areas_2017 f_udsatte_byomraader.json \
    -sql "SELECT CAST(ogc_fid AS integer) AS area_id, byomraade, delomraade, m2 FROM f_udsatte_byomraader"

# Every published field plus dwellings (the four dwelling counts, null counted as 0), as a
# GeoPackage: one department (v_id 451, "På Sporet") has no geometry, and GDAL 3.6's FlatGeobuf
# writer drops such features, while the project keeps and counts them. OGR_CURRENT_DATE fixes the
# timestamp GeoPackage records, so the file is byte-identical from run to run.
rm -f "$out/housing_departments.gpkg"
OGR_CURRENT_DATE=2025-05-01T00:00:00Z ogr2ogr -f GPKG -t_srs EPSG:25832 -nln housing_departments \
    "$out/housing_departments.gpkg" "$src/almene_boliger_kk.json" -dialect SQLite \
    -sql "SELECT *, CAST(coalesce(antal_familie_boliger, 0) + coalesce(antal_ungdomsboliger, 0)
                      + coalesce(antal_aeldre_boliger, 0) + coalesce(antal_plejeboliger, 0) AS INTEGER)
                 AS dwellings
          FROM almene_boliger_kk"

# Every published field, ogc_fid as the integer renewal_id. The source polygons carry a Z value
# per vertex (heights, with -999 for unknown); they are dropped (-dim XY), the plan is 2D.
convert building_renewals byfornyelse_kk.json -dim XY \
    -sql "SELECT CAST(ogc_fid AS integer) AS renewal_id, id, omraade, adresse, matr_nr, ansoegt,
                 kval_ansoeg, byfornyelse_vedtaget_i_br, link FROM byfornyelse_kk"

convert playgrounds legeplads.json
convert libraries biblioteker.json
convert culture_houses kulturhus.json

# check NAME SOURCE_LAYER SOURCE EXPECTED_FIELDS...: feature count, CRS and fields of the output.
source_count() {   # features of a source, optionally only those with a geometry
    local where=""
    [[ "${3:-}" == with-geometry ]] && where=" WHERE GEOMETRY IS NOT NULL"
    ogrinfo -ro -q "$src/$2" -dialect SQLite -sql "SELECT count(*) AS n FROM $1$where" \
        | sed -n 's/^ *n (Integer) = //p'
}
check() {
    local name="$1" expected="$2"
    shift 2
    local file="$out/$name.fgb"
    [[ -f "$file" ]] || file="$out/$name.gpkg"
    local info
    info="$(ogrinfo -ro -so "$file" "$name")"
    local got
    got="$(sed -n 's/^Feature Count: //p' <<<"$info")"
    [[ "$got" == "$expected" ]] || { echo "import.sh: $name.fgb has $got features, expected $expected" >&2; exit 1; }
    grep -q 'ID\["EPSG",25832\]\]$' <<<"$info" || { echo "import.sh: $name.fgb is not in EPSG:25832" >&2; exit 1; }
    local field
    for field in "$@"; do
        grep -q "^$field\$" <<<"$info" || { echo "import.sh: $name.fgb lacks field '$field'" >&2; exit 1; }
    done
    echo "layers/$(basename "$file"): $got features, EPSG:25832"
}
check districts "$(source_count bydel bydel.json)" "bydel_nr: Integer (0.0)" "navn: String (0.0)"
check deprived_areas_2017 "$(source_count f_udsatte_byomraader f_udsatte_byomraader.json)" \
    "area_id: Integer (0.0)" "byomraade: String (0.0)" "delomraade: String (0.0)" "m2: Integer (0.0)"
check housing_departments "$(source_count almene_boliger_kk almene_boliger_kk.json)" \
    "v_id: Integer (0.0)" "afdelingsnavn: String (0.0)" "dwellings: Integer (0.0)"
check building_renewals "$(source_count byfornyelse_kk byfornyelse_kk.json)" \
    "renewal_id: Integer (0.0)" "omraade: String (0.0)"
check playgrounds "$(source_count legeplads legeplads.json)" "id: Integer (0.0)" "navn: String (0.0)"
check libraries "$(source_count biblioteker biblioteker.json)" "id: Integer (0.0)" "navn: String (0.0)"
check culture_houses "$(source_count kulturhus kulturhus.json)" "id: Integer (0.0)" "navn: String (0.0)"

python3 "$here/import_figures.py" "$pub" "$here/figures"
python3 "$here/synthetic/generate.py"
python3 "$here/check_list_areas.py"
