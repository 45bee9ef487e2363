import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The dev server forwards API calls to the Fastify server. The address is written as
// 127.0.0.1 on purpose: `localhost` may resolve to ::1 while the server listens on IPv4.
const apiTarget = `http://127.0.0.1:${process.env.PB_API_PORT ?? 8080}`

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      treeshake: {
        // Our workspace packages have no import-time side effects (policy-core does no I/O;
        // the contract only declares schemas): what the board does not use stays out of the
        // main chunk. TypeBox builders are pure, so unused schemas drop out too.
        moduleSideEffects: (id) =>
          /\/packages\/(api|policy-core)\/src\//.test(id) ? false : undefined,
        manualPureFunctions: ['Type'],
      },
    },
  },
})
