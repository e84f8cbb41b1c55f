// Bundles src/index.js into one ES module in the RCL's wwwroot (served to consumers at
// _content/MedSeg.Viewer/lib/medseg-viewer/medseg-viewer.js). esbuild rather than vite: vite's
// rollup needs per-platform optional packages that not every npm mirror holds, which breaks `npm ci`.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const outdir = fileURLToPath(new URL('../wwwroot/lib/medseg-viewer/', import.meta.url));
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [fileURLToPath(new URL('./src/index.js', import.meta.url))],
  outfile: `${outdir}medseg-viewer.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
console.log(`built ${outdir}medseg-viewer.js`);
