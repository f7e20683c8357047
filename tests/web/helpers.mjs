// Small helpers the browser suites share: colours, the server's API, the URL hash, and the
// viewer's own rules for naming layers (so a test can say what the legend must show).
import assert from 'node:assert/strict';
import path from 'node:path';
import { repo } from './server.mjs';

// The kvarter binary: ctest passes it; `node --test tests/web/` takes $KVARTER_BINARY or build/kvarter.
export const binary = process.argv[2] && !process.argv[2].startsWith('-')
  ? process.argv[2] : process.env.KVARTER_BINARY ?? path.join(repo, 'build', 'kvarter');

export const hex = (c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
export const blend = (under, over, alpha) => under.map((u, i) => u * (1 - alpha) + over[i] * alpha);
export const close = (got, want, tolerance = 8) => got.every((v, i) => Math.abs(v - want[i]) <= tolerance);
export const daNumber = (v) => v.toLocaleString('da-DK', { maximumFractionDigits: 1 });
export const hash = (params) => `#${Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&')}`;

// fetch → JSON against one server, asserting a 2xx answer.
export function apiOf(server) {
  return async (urlPath, options) => {
    const r = await fetch(`${server.base}${urlPath}`, options);
    assert.ok(r.ok, `${urlPath}: ${r.status}`);
    return r.status === 204 ? null : r.json();
  };
}

export function bboxOf(geometry) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === 'number') { w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]); }
    else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return [w, s, e, n];
}

export function bboxCentre(geometry) {
  const [w, s, e, n] = bboxOf(geometry);
  return [(w + e) / 2, (s + n) / 2];
}

// The API ids of the features drawn by a style layer, read as the viewer reads them (web/src/ids.js).
export const renderedIds = (page, layer) => page.evaluate(async (l) => {
  const features = window.kvarter.map.queryRenderedFeatures({ layers: [l] });
  return [...new Set(await Promise.all(features.map((f) => window.kvarter.tileFeatureId(f))))];
}, layer);

// Every element with its own text whose colour reaches less than WCAG AA (4.5:1) against the
// first opaque background behind it; the map's canvas and controls are left out.
export function lowContrast(page) {
  return page.evaluate(() => {
    const rgb = (c) => c.match(/[\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const backgroundOf = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility?.() || el.closest('#map')) continue;
      if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(backgroundOf(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return out;
  });
}

// A point of the map's canvas (near its edges) that lies in no feature of `layer`, asked of the
// server's /lookup through `lookup(lon, lat)`; null when every one tried lies in one.
export async function pointOutside(page, layer, lookup) {
  const size = await page.evaluate(() => [window.kvarter.map.getCanvas().clientWidth, window.kvarter.map.getCanvas().clientHeight]);
  for (const [fx, fy] of [[0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9], [0.5, 0.1], [0.5, 0.9], [0.1, 0.5], [0.9, 0.5]]) {
    const [x, y] = [size[0] * fx, size[1] * fy];
    const ll = await page.evaluate((xy) => window.kvarter.map.unproject(xy).toArray(), [x, y]);
    if ((await lookup(ll[0].toFixed(6), ll[1].toFixed(6))).layers[layer].features.length === 0) return [x, y];
  }
  return null;
}
