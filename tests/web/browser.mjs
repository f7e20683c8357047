// Debian's Chromium, driven by playwright-core, headless with software WebGL (SwiftShader).
// A missing /usr/bin/chromium is a failure, never a skip.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo } from './server.mjs';

const require = createRequire(path.join(repo, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const outputDir = path.join(repo, 'tests', 'output');
const executablePath = '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} is missing: scripts/test installs Debian's chromium package`);
  const profile = mkdtempSync(path.join(tmpdir(), 'kvarter-chromium-'));
  // A new, empty profile (--user-data-dir) for every run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // WebGL without a GPU: ANGLE on SwiftShader.
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  return { context, async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

const isTile = (url) => /\/tiles\/[^/]+\/\d+\/\d+\/\d+\.mvt/.test(url);

// A page that records every console error, page error, failed request and error status.
export async function openPage(context, { width = 1280, height = 800 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const problems = [];
  const tiles = [];
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // MapLibre cancels the tiles it no longer needs when the map moves on, and the viewer aborts
    // an API request a newer one made stale (web/src/latest.js): neither is a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`status ${r.status()}: ${r.url()}`);
    if (isTile(r.url())) tiles.push({ url: r.url(), status: r.status() });
  });
  page.on('dialog', (d) => d.accept());
  return { page, problems, tiles, requests };
}

export async function waitForReady(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await waitForIdle(page);
}

// Until the map has drawn every tile it asked for.
export function waitForIdle(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const map = window.kvarter.map;
    const done = () => setTimeout(resolve, 100);
    if (map.loaded() && map.areTilesLoaded()) { map.triggerRepaint(); map.once('idle', done); } else map.once('idle', done);
  }));
}

export async function screenshot(page, name) {
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: path.join(outputDir, `browser-${name}.png`) });
}

// The most common colour of the map canvas in a (2r+1)² block around CSS pixel (x, y), so a
// label's thin letters cannot decide it. [r, g, b].
export function canvasColour(page, x, y, r = 3) {
  return page.evaluate(({ x, y, r }) => {
    const canvas = window.kvarter.map.getCanvas();
    const scale = canvas.width / canvas.clientWidth;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(canvas, 0, 0);
    const size = 2 * r + 1;
    const data = ctx.getImageData(Math.round(x * scale) - r, Math.round(y * scale) - r, size, size).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(',').map(Number);
  }, { x, y, r });
}

// Where a lon/lat is on the page, in CSS pixels (the map's canvas may not start at 0, 0).
export function pagePoint(page, lonLat) {
  return page.evaluate((ll) => {
    const map = window.kvarter.map;
    const p = map.project(ll);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y, canvasX: p.x, canvasY: p.y };
  }, lonLat);
}
