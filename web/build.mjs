// Builds web/dist: one bundled module (MapLibre included, no CDN), its CSS, and the page.
// The bundle's file names carry a hash of their content, so a page from a new build never runs
// with a cached script of an old one.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(here, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const result = await build({
  entryPoints: [path.join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  outdir: dist,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const named = (ext) => {
  const file = outputs.find((f) => f.startsWith('main-') && f.endsWith(ext));
  if (!file) throw new Error(`esbuild wrote no main-*${ext}`);
  return file;
};
const page = (await readFile(path.join(here, 'index.html'), 'utf8'))
  .replace('./main.js', `./${named('.js')}`)
  .replace('./main.css', `./${named('.css')}`);
await writeFile(path.join(dist, 'index.html'), page);
console.log('web: built', dist, outputs.filter((f) => !f.endsWith('.map')).join(' '));
