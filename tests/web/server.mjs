// Starts `kvarter serve` on a free port with the bundled sample, a proposal store of its own (so
// the tests never touch build/proposals.gpkg) and the built viewer; stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

// The sample config with every relative path made absolute, so it can live in a temporary folder.
function testConfig(dir, overrides) {
  const geodata = path.join(repo, 'geodata');
  const cfg = JSON.parse(readFileSync(path.join(geodata, 'kvarter.json'), 'utf8'));
  const abs = (p) => (p === undefined ? p : path.resolve(geodata, p));
  for (const l of cfg.layers) l.source = abs(l.source);
  for (const i of cfg.indicators ?? []) i.source = abs(i.source);
  cfg.tilesets = abs(cfg.tilesets);
  cfg.styles = abs(cfg.styles);
  if (cfg.analysis?.rules) cfg.analysis.rules = abs(cfg.analysis.rules);
  cfg.proposals = { ...cfg.proposals, store: path.join(dir, 'proposals.gpkg'), tokens_file: abs(cfg.proposals.tokens_file) };
  cfg.web = path.join(repo, 'web', 'dist');
  Object.assign(cfg, overrides);
  const file = path.join(dir, 'kvarter.json');
  writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

// The first write token of geodata/tokens.example ("<token> <name>" lines).
export function sampleToken() {
  const line = readFileSync(path.join(repo, 'geodata', 'tokens.example'), 'utf8')
    .split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  return line.split(/\s+/)[0];
}

// overrides: top-level config keys to set, e.g. {attribution: '…'}.
export async function startServer(binary, overrides = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvarter-web-test-'));
  const config = testConfig(dir, overrides);
  const child = spawn(binary, ['serve', '--port', '0', '--address', '127.0.0.1', '--threads', '2', '--config', config],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kvarter did not start in 60 s:\n${output}`)), 60000);
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
