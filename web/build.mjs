// Bundles the /ops page (web/ops/main.tsx and its stylesheet) into dist/web/ops: content-hashed
// assets and an index.html naming them. Part of `npm run build`; the service serves the result.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web', 'ops');
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [path.join(root, 'web', 'ops', 'main.tsx')],
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint !== undefined || o.cssBundle === undefined);
const named = (ext) => {
  const hit = outputs.map(([file]) => path.basename(file)).find((f) => f.endsWith(ext) && !f.endsWith('.map'));
  if (!hit) throw new Error(`the ops bundle has no ${ext} file`);
  return hit;
};
const [js, css] = [named('.js'), named('.css')];
writeFileSync(
  path.join(out, 'index.html'),
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>moneygraph — ops</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ops/assets/${css}">
<script type="module" src="/ops/assets/${js}"></script></head>
<body><div id="app"></div></body></html>
`,
);
const kb = (f) => (result.metafile.outputs[path.relative(root, path.join(out, 'assets', f))]?.bytes ?? 0) / 1024;
console.log(`ops page: dist/web/ops (${js} ${kb(js).toFixed(0)} KiB, ${css} ${kb(css).toFixed(0)} KiB)`);
