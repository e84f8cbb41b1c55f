// Bundles src/linechart.js (uPlot + the portal's chart code) into one ES module and its CSS in the repository's
// wwwroot/lib/charts/ (the portal's web root), served at /lib/charts/linechart.js. Same tool as the viewer bundle.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const outdir = fileURLToPath(new URL('../../../wwwroot/lib/charts/', import.meta.url));
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [fileURLToPath(new URL('./src/linechart.js', import.meta.url))],
  outfile: `${outdir}linechart.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
console.log(`built ${outdir}linechart.js`);
