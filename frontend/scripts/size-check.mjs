// Print the gzipped size of the built JavaScript (and, for information, CSS and fonts); fail above the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 100 * 1024;
const assets = join(import.meta.dirname, '..', 'dist', 'assets');

const files = readdirSync(assets).map((name) => {
  const bytes = readFileSync(join(assets, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);

for (const f of files)
  console.log(`  ${f.name.padEnd(58)} ${kb(f.raw).padStart(9)} raw ${kb(f.gzip).padStart(9)} gzip`);
const js = files.filter((f) => f.name.endsWith('.js'));
const css = files.filter((f) => f.name.endsWith('.css'));
const fonts = files.filter((f) => /\.(woff2?|ttf)$/.test(f.name));
console.log(`CSS ${kb(sum(css, 'gzip'))} gzip; fonts ${kb(sum(fonts, 'raw'))} (loaded only for Sinhala/Tamil text)`);
const total = sum(js, 'gzip');
console.log(`Lane JS: ${kb(total)} gzipped (${total} bytes) of a ${kb(BUDGET_BYTES)} budget`);
if (js.length === 0) {
  console.error('size-check: no JavaScript found in dist/assets');
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error(`size-check: over budget by ${total - BUDGET_BYTES} bytes`);
  process.exit(1);
}
