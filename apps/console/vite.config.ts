import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

// The operator console: built into dist/console, served by the gateway at /console (no CDN: everything is bundled).
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [preact()],
  build: { outDir: resolve(__dirname, '../../dist/console'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/cam': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
