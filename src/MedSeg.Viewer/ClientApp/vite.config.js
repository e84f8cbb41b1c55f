import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Library build: one ES module (plus lazily loaded chunks/workers next to it) in the RCL's
// wwwroot, served to consumers at _content/MedSeg.Viewer/lib/medseg-viewer/.
export default defineConfig({
  build: {
    lib: {
      entry: fileURLToPath(new URL('./src/index.js', import.meta.url)),
      formats: ['es'],
      fileName: () => 'medseg-viewer.js',
    },
    outDir: fileURLToPath(new URL('../wwwroot/lib/medseg-viewer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  // @cornerstonejs/tools creates its compute worker with new Worker(new URL(..), { type: 'module' }).
  worker: { format: 'es' },
});
