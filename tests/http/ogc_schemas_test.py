"""Every JSON answer of the OGC APIs validates against the standards' own schemas (tests/schemas,
sources in tests/schemas/SOURCE.md), and /api against the OpenAPI 3.0 schema, with Debian's
python3-jsonschema. Run: /usr/bin/python3 tests/http/ogc_schemas_test.py BUILD/kvarter
"""
import json
import os
import sys
import unittest
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kvarter_server import KvarterServer  # noqa: E402

SCHEMAS = os.path.join(os.path.dirname(__file__), "..", "schemas")
FEATURES = os.path.join(SCHEMAS, "features")
TMS = os.path.join(SCHEMAS, "tms")
# Names the schemas use for files that the same folder names otherwise (see SOURCE.md).
ALIASES = {"Point.yaml": "pointGeoJSON.yaml", "MultiPoint.yaml": "multipointGeoJSON.yaml",
           "LineString.yaml": "linestringGeoJSON.yaml", "MultiLineString.yaml": "multilinestringGeoJSON.yaml",
           "Polygon.yaml": "polygonGeoJSON.yaml", "MultiPolygon.yaml": "multipolygonGeoJSON.yaml",
           "GeometryCollection.yaml": "geometrycollectionGeoJSON.yaml",
           "tilematrixlimits.json": "tileMatrixLimits.json"}
BINARY = None


def openapi_to_json_schema(node):
    """OpenAPI 3.0 schema object -> JSON Schema: `nullable: true` adds the null type."""
    if isinstance(node, list):
        return [openapi_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: openapi_to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def load_store():
    """Every schema file under its file: URI (and its aliases), for the $ref resolver."""
    store = {}
    for folder in (FEATURES, TMS):
        for name in os.listdir(folder):
            path = os.path.abspath(os.path.join(folder, name))
            with open(path, encoding="utf-8") as f:
                doc = openapi_to_json_schema(yaml.safe_load(f)) if name.endswith(".yaml") else json.load(f)
            store["file://" + path] = doc
    for alias, name in ALIASES.items():
        for folder in (FEATURES, TMS):
            real = "file://" + os.path.abspath(os.path.join(folder, name))
            if real in store:
                store["file://" + os.path.abspath(os.path.join(folder, alias))] = store[real]
    return store


STORE = load_store()


def validator(folder, name):
    uri = "file://" + os.path.abspath(os.path.join(folder, name))
    schema = STORE[uri]
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema, resolver=jsonschema.RefResolver(uri, schema, store=STORE))


def feature_schema(name):
    return validator(FEATURES, name)


def tms_schema(name):
    return validator(TMS, name)


class OgcSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = KvarterServer(BINARY).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def get(self, path, expect=200):
        try:
            with urllib.request.urlopen(self.server.url(path), timeout=60) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        self.assertEqual(status, expect, path)
        return json.loads(body)

    def valid(self, v, doc, what):
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        self.assertEqual([], [f"{list(e.path)}: {e.message}" for e in errors[:5]], what)

    def collection_ids(self):
        return [c["id"] for c in self.get("/collections")["collections"]]

    def test_landing_conformance_and_collections(self):
        self.valid(feature_schema("root.yaml"), self.get("/"), "/")
        self.valid(feature_schema("confClasses.yaml"), self.get("/conformance"), "/conformance")
        self.valid(feature_schema("content.yaml"), self.get("/collections"), "/collections")
        ids = self.collection_ids()
        self.assertIn("proposals", ids)  # the empty collection too
        for cid in ids:
            self.valid(feature_schema("collection.yaml"), self.get(f"/collections/{cid}"), cid)

    def test_items_and_single_features_in_every_crs_and_filtered(self):
        fc = feature_schema("featureCollectionGeoJSON.yaml")
        one = feature_schema("featureGeoJSON.yaml")
        checked = 0
        for cid in self.collection_ids():
            for query in ("limit=5", "limit=3&crs=http://www.opengis.net/def/crs/EPSG/0/25832",
                          "limit=2&crs=http://www.opengis.net/def/crs/EPSG/0/4326"):
                items = self.get(f"/collections/{cid}/items?{query}")
                self.valid(fc, items, f"{cid} items {query}")
                checked += len(items["features"])
            for feature in self.get(f"/collections/{cid}/items?limit=2")["features"]:
                self.valid(one, self.get(f"/collections/{cid}/items/{urllib.parse.quote(str(feature['id']))}"),
                           f"{cid}/{feature['id']}")
        self.assertGreater(checked, 20)
        filtered = self.get("/collections/districts/items?" + urllib.parse.urlencode(
            {"filter": "S_INTERSECTS(geometry, POINT(12.55 55.68)) OR navn LIKE 'V%'", "sortby": "-navn"}))
        self.assertGreater(len(filtered["features"]), 0)
        self.valid(fc, filtered, "filtered districts")

    def test_problems_are_rfc_9457_objects(self):
        problem = feature_schema("exception.yaml")
        for path, status in (("/collections/districts/items?limit=abc", 400),
                             ("/collections/districts/items?filter=navn%20%3D", 400),
                             ("/collections/nowhere", 404)):
            self.valid(problem, self.get(path, status), path)

    def test_queryables_and_schemas_are_json_schemas(self):
        for cid in self.collection_ids():
            for part in ("queryables", "schema"):
                doc = self.get(f"/collections/{cid}/{part}")
                cls = jsonschema.validators.validator_for(doc, default=jsonschema.Draft202012Validator)
                cls.check_schema(doc)
                self.assertEqual(doc["type"], "object", f"{cid}/{part}")
                self.assertTrue(doc["properties"], f"{cid}/{part} lists nothing")

    def test_tile_matrix_set_and_tilesets(self):
        self.valid(tms_schema("tileMatrixSet.json"), self.get("/tileMatrixSets/WebMercatorQuad"), "WebMercatorQuad")
        link = tms_schema("link.json")
        for entry in self.get("/tileMatrixSets")["tileMatrixSets"]:
            for l in entry["links"]:
                self.valid(link, l, "tileMatrixSets link")
        tileset = tms_schema("tileSet.json")
        listed = self.get("/tiles")["tilesets"]
        self.assertGreater(len(listed), 0)
        for entry in listed:
            # A list entry is the Tiles standard's short "tileSet-item" (dataType, crs, links);
            # the full metadata behind its self link is checked against tileSet.json.
            self.assertEqual(entry["dataType"], "vector")
            self.assertTrue(entry["crs"])
            for l in entry["links"]:
                self.valid(link, l, "tileset list link")
            self_link = next(l["href"] for l in entry["links"] if l["rel"] == "self")
            self.valid(tileset, self.get(urllib.parse.urlparse(self_link).path), self_link)
        self.valid(tileset, self.get("/collections/districts/tiles/WebMercatorQuad"), "districts tiles")

    def test_api_is_openapi_3_0(self):
        with open(os.path.join(SCHEMAS, "openapi", "schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        self.valid(jsonschema.Draft4Validator(schema), self.get("/api"), "/api")

    def test_the_schemas_do_reject_what_breaks_them(self):
        # The check itself: a collection without links and a feature without geometry are refused.
        self.assertFalse(feature_schema("collection.yaml").is_valid({"id": "x"}))
        self.assertFalse(feature_schema("featureGeoJSON.yaml").is_valid({"type": "Feature", "properties": {}}))
        self.assertFalse(feature_schema("featureGeoJSON.yaml").is_valid(
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}))
        self.assertFalse(tms_schema("tileMatrixSet.json").is_valid({"crs": "x", "tileMatrices": [{"id": "0"}]}))


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main()
