// The viewer's modules import one way: no module reaches itself through its imports (a cycle
// such as selection.js <-> views.js leaves one of them half-initialised at load).
// Usage: node tests/web/import_cycles.test.mjs
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../web/src');

function localImports(file) {
  const text = readFileSync(join(src, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]\.\/([^'"]+)['"]|import\(\s*['"]\.\/([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2]);
}

// A cycle as a list of files, or null.
function findCycle(graph) {
  const state = new Map(); // file -> 'open' | 'done'
  const path = [];
  const visit = (file) => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

it('finds a cycle when there is one', () => {
  assert.deepEqual(findCycle(new Map([['a.js', ['b.js']], ['b.js', ['a.js']]])), ['a.js', 'b.js', 'a.js']);
  assert.equal(findCycle(new Map([['a.js', ['b.js']], ['b.js', []]])), null);
});

it('web/src has no import cycle', () => {
  const files = readdirSync(src).filter((f) => f.endsWith('.js'));
  const graph = new Map(files.map((f) => [f, localImports(f)]));
  assert.ok(graph.get('main.js').includes('views.js'), 'the import reader sees main.js import views.js');
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.join(' -> ')}`);
});
