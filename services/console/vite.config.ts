import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built to static files the API serves at /admin; every dependency is bundled, nothing loads from
// elsewhere at run time. `pnpm dev` proxies the API (PRICEBOOK_API_URL, default the local one).
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: { '/api': process.env.PRICEBOOK_API_URL ?? 'http://127.0.0.1:3001' },
  },
});
