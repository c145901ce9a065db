import { defineConfig } from 'vitest/config';

/** The API the dev server proxies to (the runbook's port 8250). */
const API = 'http://127.0.0.1:8250';

export default defineConfig({
  base: '/',
  // Vite 8 transforms TS/JSX with Oxc (its esbuild option is deprecated): automatic JSX runtime from Preact.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': API, '/health': API, '/metrics': API },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
