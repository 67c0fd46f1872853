#!/usr/bin/env node
// Bundles the UI extension with esbuild (every view on its own, and all views together the way the
// Stripe CLI ships them) into .build/extension/ and prints the sizes: bytes and KiB gzipped.
// Smaller is better. Usage: node scripts/bundle-extension.mjs [--json]
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const viewsDir = join(root, 'src', 'views');
const outdir = join(root, '.build', 'extension');
const views = readdirSync(viewsDir)
  .filter((file) => /\.tsx$/.test(file) && !/\.test\.tsx$/.test(file))
  .map((file) => basename(file, '.tsx'))
  .sort();

const common = {
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2020',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

rmSync(outdir, { recursive: true, force: true });

await build({
  ...common,
  entryPoints: Object.fromEntries(views.map((view) => [view, join(viewsDir, `${view}.tsx`)])),
  outdir,
});

// One entry importing every view: what the Dashboard actually downloads.
await build({
  ...common,
  stdin: {
    contents: views.map((view) => `export { default as ${view} } from './src/views/${view}';`).join('\n'),
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'all-views.ts',
  },
  outfile: join(outdir, 'all-views.js'),
});

const measure = (name) => {
  const file = join(outdir, `${name}.js`);
  const bytes = statSync(file).size;
  const gzip = gzipSync(readFileSync(file), { level: 9 }).length;
  return { name, bytes, gzipBytes: gzip, gzipKiB: Math.round((gzip / 1024) * 10) / 10 };
};

const rows = [...views.map(measure), measure('all-views')];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`${'bundle'.padEnd(width)}  ${'bytes'.padStart(9)}  ${'gzip bytes'.padStart(10)}  ${'gzip KiB'.padStart(8)}`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(width)}  ${String(row.bytes).padStart(9)}  ${String(row.gzipBytes).padStart(10)}  ${row.gzipKiB.toFixed(1).padStart(8)}`);
  }
  console.log(`\ntotal (all views in one bundle): ${rows.at(-1).bytes} bytes, ${rows.at(-1).gzipKiB.toFixed(1)} KiB gzipped`);
}
