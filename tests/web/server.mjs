// Starts `kvarter serve` on a free port with one of the configs in geodata/ (the real city or
// the bundled sample), a proposal store of its own (so the tests never touch
// build/proposals.gpkg) and the built viewer; stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const geodata = path.join(repo, 'geodata');

// The configs the tests run on: the real city (the server's default) and the bundled sample
// (geodata/sample.json; geodata/kvarter.json before the rename).
export const realConfig = path.join(geodata, 'copenhagen.json');
export const sampleConfig = [path.join(geodata, 'sample.json'), path.join(geodata, 'kvarter.json')].find(existsSync)
  ?? path.join(geodata, 'sample.json');

// Keys whose string values are paths relative to the config file, wherever they appear (layers'
// `source`, `derive` tables, indicator tables, tilesets, styles, rules, tokens, the viewer).
const pathKeys = new Set(['source', 'members', 'tags', 'programmes', 'tilesets', 'styles', 'rules', 'tokens_file', 'web']);
// A GDAL connection string (PG:…, WFS:…, OAPIF:…) or a URL is not a file path; nor is /vsi….
const notAPath = (v) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) || v.startsWith('/vsi') || path.isAbsolute(v);

// Every relative path in the config made absolute, so the copy can live in a temporary folder.
// A string is taken for a path when it names a file or folder that exists relative to the config
// and its key is a path key or it looks like a path (a slash, an extension): so a key added later
// is not missed, and free text (a column's `source` note naming a publisher) is left alone.
export function absolutePaths(value, base, key = '') {
  if (Array.isArray(value)) return value.map((v) => absolutePaths(v, base, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, absolutePaths(v, base, k)]));
  if (typeof value !== 'string' || !value || notAPath(value)) return value;
  const resolved = path.resolve(base, value);
  const looksLikePath = value.includes('/') || /\.[A-Za-z0-9]{2,8}$/.test(value);
  if ((pathKeys.has(key) || looksLikePath) && existsSync(resolved)) return resolved;
  return value;
}

function testConfig(dir, configFile, overrides) {
  const base = path.dirname(configFile);
  const cfg = absolutePaths(JSON.parse(readFileSync(configFile, 'utf8')), base);
  cfg.proposals = { ...cfg.proposals, store: path.join(dir, 'proposals.gpkg') };
  cfg.web = path.join(repo, 'web', 'dist');
  Object.assign(cfg, overrides);
  const file = path.join(dir, path.basename(configFile));
  writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

// The first write token of the config's tokens file ("<token> <name>" lines).
export function sampleToken(configFile = sampleConfig) {
  const cfg = JSON.parse(readFileSync(configFile, 'utf8'));
  const tokens = path.resolve(path.dirname(configFile), cfg.proposals?.tokens_file ?? 'tokens.example');
  const line = readFileSync(tokens, 'utf8')
    .split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  return line.split(/\s+/)[0];
}

// config: a config file (default the sample); overrides: top-level config keys to set, e.g.
// {attribution: '…'}; a function gets the config and may change it in place.
export async function startServer(binary, { config = sampleConfig, overrides = {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvarter-web-test-'));
  const file = testConfig(dir, config, typeof overrides === 'function' ? {} : overrides);
  if (typeof overrides === 'function') {
    const cfg = JSON.parse(readFileSync(file, 'utf8'));
    overrides(cfg);
    writeFileSync(file, JSON.stringify(cfg, null, 2));
  }
  const child = spawn(binary, ['serve', '--port', '0', '--address', '127.0.0.1', '--threads', '2', '--config', file],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kvarter did not start in 120 s:\n${output}`)), 120000);
    const read = (chunk) => {
      output += chunk;
      const m = output.match(/serving .* at (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kvarter exited with ${code}:\n${output}`)); });
  });
  const health = await fetch(`${base}/health`);
  if (!health.ok) throw new Error(`/health answered ${health.status}`);
  return {
    base,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
