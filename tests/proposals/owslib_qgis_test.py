"""Independent clients on what kvarter serves: OWSLib (Debian's python3-owslib) reads every
collection, the queryables, items by bbox, CQL2 filter and CRS, and single features; then the
request sequence QGIS's OAPIF provider (3.32 and later) sends to edit a layer (OPTIONS, POST with
Content-Crs, PATCH as a JSON merge patch, PUT, DELETE, each with If-Match) writes a proposal, and
OWSLib and GDAL's OAPIF driver read back each step. OWSLib 0.27 has no write calls of its own.
Run: /usr/bin/python3 tests/proposals/owslib_qgis_test.py BUILD/kvarter
"""
import json
import os
import subprocess
import sys
import unittest

import requests
from owslib.ogcapi.features import Features

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kvarter_server import KvarterServer, first_token  # noqa: E402

BINARY = None
EPSG_25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"
ITEMS = "/collections/proposals/items"


def first_position(geometry):
    """The first [x, y] of a geometry, whatever its nesting (Polygon or MultiPolygon)."""
    c = geometry["coordinates"]
    while isinstance(c[0], list):
        c = c[0]
    return c[:2]


def allow(response):
    return {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}


class OwsLibAndQgis(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = KvarterServer(BINARY).__enter__()
        cls.api = Features(cls.server.base)
        cls.auth = {"Authorization": "Bearer " + first_token()}

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_owslib_reads_collections_queryables_and_items(self):
        self.assertIn("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", self.api.conformance()["conformsTo"])
        ids = [c["id"] for c in self.api.feature_collections()["collections"]] \
            if isinstance(self.api.feature_collections(), dict) else self.api.feature_collections()
        self.assertIn("districts", ids)
        self.assertIn("proposals", ids)
        self.assertEqual(self.api.collection("districts")["id"], "districts")
        self.assertIn("navn", self.api.collection_queryables("districts")["properties"])

        everything = self.api.collection_items("districts", limit=100)
        self.assertEqual(everything["numberMatched"], len(everything["features"]))
        boxed = self.api.collection_items("districts", bbox=[12.55, 55.66, 12.60, 55.70], limit=100)
        self.assertGreater(len(boxed["features"]), 0)
        self.assertLess(len(boxed["features"]), len(everything["features"]))

        filtered = self.api.collection_items("districts", filter="employment_rate < 70", limit=100)
        expected = [f["id"] for f in everything["features"] if f["properties"]["employment_rate"] < 70]
        self.assertEqual(sorted(f["id"] for f in filtered["features"]), sorted(expected))
        self.assertGreater(len(expected), 0)

        metres = self.api.collection_items("districts", crs=EPSG_25832, limit=1)
        x, y = first_position(metres["features"][0]["geometry"])
        self.assertTrue(700000 < x < 740000 and 6150000 < y < 6200000, (x, y))  # UTM 32N around Copenhagen

        one = self.api.collection_item("districts", str(everything["features"][0]["id"]))
        self.assertEqual(one["id"], everything["features"][0]["id"])

    def ogr_count(self):
        out = subprocess.run(["ogrinfo", "-ro", "-so", "-al", "OAPIF:" + self.server.base, "proposals"],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        for line in out.stdout.splitlines():
            if line.startswith("Feature Count:"):
                return int(line.split(":")[1])
        self.fail("ogrinfo printed no feature count:\n" + out.stdout)

    def test_the_qgis_edit_sequence_and_reading_it_back(self):
        url = self.server.url(ITEMS)
        # QGIS asks what the layer allows before it offers editing.
        self.assertTrue({"GET", "POST"} <= allow(requests.options(url, timeout=30)))
        before = self.ogr_count()

        # A new feature drawn in EPSG:25832, sent as QGIS sends it: Content-Crs names the CRS.
        square = [[[724000, 6175000], [724200, 6175000], [724200, 6175200], [724000, 6175200], [724000, 6175000]]]
        feature = {"type": "Feature", "properties": {"name": "Ny legeplads", "status": "draft"},
                   "geometry": {"type": "Polygon", "coordinates": square}}
        created = requests.post(url, data=json.dumps(feature), timeout=30, headers={
            **self.auth, "Content-Type": "application/geo+json", "Content-Crs": f"<{EPSG_25832}>"})
        self.assertEqual(created.status_code, 201, created.text)
        location = created.headers["Location"]
        fid = location.rsplit("/", 1)[1]
        self.assertTrue({"GET", "PUT", "PATCH", "DELETE"} <= allow(requests.options(location, timeout=30)))

        read = self.api.collection_item("proposals", fid)
        self.assertEqual(read["properties"]["name"], "Ny legeplads")
        lon, lat = first_position(read["geometry"])
        self.assertAlmostEqual(lon, 12.5, delta=0.3)  # stored and served in lon/lat
        self.assertAlmostEqual(lat, 55.7, delta=0.2)
        self.assertEqual(self.ogr_count(), before + 1)

        etag = requests.get(location, timeout=30).headers["ETag"]
        patched = requests.patch(location, data=json.dumps({"properties": {"status": "submitted"}}), timeout=30,
                                 headers={**self.auth, "Content-Type": "application/merge-patch+json", "If-Match": etag})
        self.assertEqual(patched.status_code, 200, patched.text)
        self.assertEqual(self.api.collection_item("proposals", fid)["properties"]["status"], "submitted")
        self.assertEqual(self.api.collection_item("proposals", fid)["properties"]["name"], "Ny legeplads")

        # A second planner still holding the first ETag is refused and changes nothing.
        stale = requests.put(location, data=json.dumps(feature), timeout=30,
                             headers={**self.auth, "Content-Type": "application/geo+json", "If-Match": etag,
                                      "Content-Crs": f"<{EPSG_25832}>"})
        self.assertEqual(stale.status_code, 412, stale.text)
        self.assertEqual(self.api.collection_item("proposals", fid)["properties"]["status"], "submitted")

        feature["properties"]["name"] = "Ny legeplads og bænke"
        replaced = requests.put(location, data=json.dumps(feature), timeout=30,
                                headers={**self.auth, "Content-Type": "application/geo+json",
                                         "If-Match": patched.headers["ETag"], "Content-Crs": f"<{EPSG_25832}>"})
        self.assertEqual(replaced.status_code, 200, replaced.text)
        names = [f["properties"]["name"] for f in self.api.collection_items("proposals", limit=100)["features"]]
        self.assertIn("Ny legeplads og bænke", names)

        removed = requests.delete(location, timeout=30, headers={**self.auth, "If-Match": replaced.headers["ETag"]})
        self.assertEqual(removed.status_code, 204, removed.text)
        self.assertEqual(requests.get(location, timeout=30).status_code, 404)
        self.assertEqual(self.ogr_count(), before)

    def test_a_write_without_the_token_is_refused(self):
        refused = requests.post(self.server.url(ITEMS), timeout=30, headers={"Content-Type": "application/geo+json"},
                                data=json.dumps({"type": "Feature", "properties": {"name": "x"},
                                                 "geometry": {"type": "Point", "coordinates": [12.5, 55.7]}}))
        self.assertEqual(refused.status_code, 401)


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main()
