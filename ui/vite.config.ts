// Build, dev-server and test configuration for the AI Observer UI.
// The SPA is served from `/` by the engine (SPA fallback to index.html); in `vite dev`
// the API and the live socket are proxied to a running engine so the page stays same-origin.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const engineOrigin = process.env.AI_OBSERVER_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [svelte(), svelteTesting()],
  server: {
    proxy: {
      '/api': { target: engineOrigin, changeOrigin: true },
      '/health': { target: engineOrigin, changeOrigin: true },
      '/ws': { target: engineOrigin.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // the one big chunk is the lazily loaded ECharts runtime (~560 kB raw, ~190 kB gzip); warn above it
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['tests/support/setup.ts'],
    restoreMocks: true,
    testTimeout: 15000,
  },
});
