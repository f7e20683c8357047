// Builds web/dist: one bundled module (MapLibre included, no CDN), its CSS, and the page.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const dist = new URL('./dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [new URL('./src/main.js', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  outdir: dist.pathname,
  logLevel: 'warning',
});
await copyFile(new URL('./index.html', import.meta.url), new URL('./index.html', dist));
console.log('web: built', dist.pathname);
