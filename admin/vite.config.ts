import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// Served by the API server at /admin/ (same origin, so the session cookie goes with every fetch).
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@bamin\/common\/(.*)$/, replacement: path.resolve(here, '../common/src/$1') }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The libraries (~1.1 MB before gzip, mostly antd) in their own file stay cached across releases;
    // ECharts and zrender (the dashboard's chart, ~0.6 MB) in another.
    chunkSizeWarningLimit: 1300,
    rollupOptions: {
      output: {
        manualChunks: (id) =>
          /\/node_modules\/(echarts|zrender)\//.test(id) ? 'charts' : id.includes('/node_modules/') ? 'vendor' : undefined,
      },
    },
  },
  server: {
    // `npm run dev` against a server started with `npm start` on :3000
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
