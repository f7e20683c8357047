// The geojson-vt peer of `scripts/bench scale` (see bench/SCALE.md): one run in one fresh process.
//
//   node --max-old-space-size=MB bench/geojsonvt/gvt_bench.mjs --out RUN.json --list TILES.txt
//        [--tolerance 1] [--extent 4096] [--buffer 64] [--max-zoom 16] [--save-list SAVE.txt --save-dir DIR]
//        LAYER:ID_FIELD:FILE.geojson ...
//
// Reads every layer's GeoJSON (EPSG:4326), builds one GeoJSONVT index per layer (what a node tile
// server does: time = reading and parsing the file + building the index), then renders every tile of
// the list once, in list order, with getTile on every layer's index and @maplibre/vt-pbf's
// fromGeojsonVt into MVT bytes (version 2): geojson-vt keeps the tiles it made, so a second pass
// would not be cold; a run is a process. The tiles named in SAVE.txt are written to DIR/z/x/y.mvt
// (for the outline comparison; untimed, after the timed pass).
//
// RUN.json: {"load_ms", "read_ms", "parse_ms", "index_ms", "features", "rss_after_load_mb",
//            "max_rss_after_load_mb", "max_rss_mb", "tiles": [[z,x,y]...], "ms": [...], "bytes": [...]}
// Peak RSS from process.resourceUsage().maxRSS (the kernel's high-water mark, like /usr/bin/time -v).
//
// A GeoJSON file is parsed whole with one JSON.parse, unless it is larger than 256 MiB: V8 cannot
// hold a string of more than about 512 MiB, and the million-block layer's file is past that. Then
// the features array is parsed in pieces of about 64 MiB, each cut at the end of a line that ends
// with the comma between two features (GDAL writes one feature a line).

import fs from 'node:fs';
import path from 'node:path';
import {GeoJSONVT} from '@maplibre/geojson-vt';
import {fromGeojsonVt} from '@maplibre/vt-pbf';

function parseArgs(argv) {
    const a = {layers: [], tolerance: 1, extent: 4096, buffer: 64, maxZoom: 16, indexMaxZoom: 5};
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i];
        const next = () => argv[++i];
        if (k === '--out') a.out = next();
        else if (k === '--list') a.list = next();
        else if (k === '--tolerance') a.tolerance = Number(next());
        else if (k === '--extent') a.extent = Number(next());
        else if (k === '--buffer') a.buffer = Number(next());
        else if (k === '--max-zoom') a.maxZoom = Number(next());
        else if (k === '--index-max-zoom') a.indexMaxZoom = Number(next());
        else if (k === '--save-list') a.saveList = next();
        else if (k === '--save-dir') a.saveDir = next();
        else if (k.startsWith('--')) throw new Error('unknown option ' + k);
        else {
            const [name, idField, ...rest] = k.split(':');
            a.layers.push({name, idField, file: rest.join(':')});
        }
    }
    if (!a.out || !a.list || a.layers.length === 0) {
        throw new Error('usage: gvt_bench.mjs --out RUN.json --list TILES.txt LAYER:ID_FIELD:FILE.geojson ...');
    }
    return a;
}

function readList(file) {
    return fs.readFileSync(file, 'utf8').split('\n').map(l => l.trim().split(/\s+/).map(Number))
        .filter(p => p.length === 3 && p.every(Number.isInteger));
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

const WHOLE_LIMIT = Number(process.env.GVT_WHOLE_LIMIT || 256 * 1048576);

function parseFeatures(buf) {
    // The usual way: the whole file with one JSON.parse.
    if (buf.length < WHOLE_LIMIT) return {mode: 'whole', features: JSON.parse(buf.toString('utf8')).features};
    // Too large for one string: the "features" array in pieces of about 64 MiB, each cut after a
    // line that ends with the comma between two features, parsed as "[" + piece + "]".
    const key = buf.indexOf('"features"');
    const open = buf.indexOf(91 /* [ */, key);
    const close = buf.lastIndexOf(93 /* ] */);
    if (key < 0 || open < 0 || close < open) throw new Error('no "features" array');
    const features = [];
    let start = open + 1;
    while (start < close) {
        let end = close;
        let cut = buf.indexOf(10, Math.min(start + 64 * 1048576, close));
        while (cut >= 0 && cut < close) {
            let e = cut;
            while (e > start && (buf[e - 1] === 13 || buf[e - 1] === 32)) e--;
            if (buf[e - 1] === 44 /* , */) { end = e - 1; break; }
            cut = buf.indexOf(10, cut + 1);
        }
        for (const f of JSON.parse('[' + buf.toString('utf8', start, end) + ']')) features.push(f);
        start = end === close ? close : end + 1;
    }
    return {mode: 'in pieces of 64 MiB', features};
}

function main() {
    const a = parseArgs(process.argv.slice(2));
    const tiles = readList(a.list);
    const out = {node: process.version, tolerance: a.tolerance, extent: a.extent, buffer: a.buffer,
        max_zoom: a.maxZoom, index_max_zoom: a.indexMaxZoom, layers: [], read_ms: 0, parse_ms: 0, index_ms: 0,
        features: 0};
    const t0 = now();
    const indexes = [];
    for (const l of a.layers) {
        const r0 = now();
        const buf = fs.readFileSync(l.file);
        const r1 = now();
        const {mode, features} = parseFeatures(buf);
        const r2 = now();
        const index = new GeoJSONVT({type: 'FeatureCollection', features}, {
            maxZoom: a.maxZoom, indexMaxZoom: a.indexMaxZoom, tolerance: a.tolerance, extent: a.extent,
            buffer: a.buffer, promoteId: l.idField || null,
        });
        const r3 = now();
        indexes.push({name: l.name, index});
        out.layers.push({name: l.name, file: l.file, features: features.length, bytes: buf.length, parse: mode,
            read_ms: r1 - r0, parse_ms: r2 - r1, index_ms: r3 - r2});
        out.read_ms += r1 - r0;
        out.parse_ms += r2 - r1;
        out.index_ms += r3 - r2;
        out.features += features.length;
    }
    out.load_ms = now() - t0;
    out.rss_after_load_mb = process.memoryUsage().rss / 1048576;
    out.max_rss_after_load_mb = maxRssMb();
    out.heap_used_after_load_mb = process.memoryUsage().heapUsed / 1048576;
    process.stderr.write(`geojson-vt: ${out.features} features read, parsed and indexed in ${(out.load_ms / 1000).toFixed(2)} s` +
        ` (read ${(out.read_ms / 1000).toFixed(2)}, parse ${(out.parse_ms / 1000).toFixed(2)}, index ${(out.index_ms / 1000).toFixed(2)});` +
        ` RSS ${out.rss_after_load_mb.toFixed(0)} MB, peak ${out.max_rss_after_load_mb.toFixed(0)} MB\n`);

    const render = (z, x, y) => {
        const layers = {};
        let any = false;
        for (const {name, index} of indexes) {
            const t = index.getTile(z, x, y);
            if (t && t.features.length) {
                layers[name] = t;
                any = true;
            }
        }
        return any ? fromGeojsonVt(layers, {version: 2, extent: a.extent}) : new Uint8Array(0);
    };
    out.tiles = tiles;
    out.ms = [];
    out.bytes = [];
    const p0 = now();
    for (const [z, x, y] of tiles) {
        const s = now();
        const buf = render(z, x, y);
        out.ms.push(now() - s);
        out.bytes.push(buf.length);
    }
    out.tiles_ms = now() - p0;
    out.max_rss_mb = maxRssMb();
    out.rss_end_mb = process.memoryUsage().rss / 1048576;
    process.stderr.write(`geojson-vt: ${tiles.length} tiles in ${(out.tiles_ms / 1000).toFixed(2)} s,` +
        ` ${out.bytes.reduce((s, b) => s + b, 0)} bytes; peak RSS ${out.max_rss_mb.toFixed(0)} MB\n`);
    if (a.saveList && a.saveDir) {
        // Untimed, after the timed pass: the index keeps what it made, so these come from its cache.
        for (const [z, x, y] of readList(a.saveList)) {
            const dir = path.join(a.saveDir, String(z), String(x));
            fs.mkdirSync(dir, {recursive: true});
            fs.writeFileSync(path.join(dir, `${y}.mvt`), render(z, x, y));
        }
    }
    fs.writeFileSync(a.out + '.partial', JSON.stringify(out));
    fs.renameSync(a.out + '.partial', a.out);
}

main();
