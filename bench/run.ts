/**
 * `npm run bench` runs every bench/*.bench.ts in turn; `npm run bench -- NAME` runs those whose file
 * name contains NAME. Each bench file runs its suites when imported.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { machineLine } from './harness.js';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).filter((f) => filters.length === 0 || filters.some((n) => f.includes(n))).sort();
if (files.length === 0) {
  console.error(`bench: no bench/*.bench.ts matches ${filters.join(', ') || '(any)'}; available: ${readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(2);
}
console.log(`# deeprelax benchmarks — ${machineLine()}`);
for (const f of files) {
  console.log(`\n# ${f}`);
  await import(pathToFileURL(path.join(dir, f)).href);
}
