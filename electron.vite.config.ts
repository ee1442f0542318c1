import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { RollupLog } from 'rollup'

/**
 * zod 4.6.7 (the newest) ships two prose comments that mention `@__PURE__` where Rollup
 * expects an annotation, so every bundle that includes zod warned about them. Only that
 * known, harmless upstream case is dropped; every other warning still shows.
 */
function onwarn(warning: RollupLog, warn: (w: RollupLog) => void) {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return
  warn(warning)
}

export default defineConfig({
  // Node dependencies (ky, zod, ws, the embedded demo server's fastify and better-sqlite3) stay external:
  // the packaged app loads them from node_modules inside the asar.
  main: {
    build: {
      outDir: 'out/main',
      // server-child: the embedded demo server's own process (src/server/child.ts).
      rollupOptions: { input: { index: resolve('src/main/index.ts'), 'server-child': resolve('src/server/child.ts') } },
    },
  },
  // A sandboxed preload cannot require() anything but a few Electron modules: one CommonJS
  // file with zod and the shared contract bundled in.
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        onwarn,
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [
      react(),
      {
        // Vite's dev server injects an inline React Refresh preamble the strict CSP would block.
        name: 'org-admin:dev-csp',
        apply: 'serve',
        transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
      },
    ],
    build: {
      outDir: 'out/renderer',
      rollupOptions: {
        onwarn,
        input: {
          index: resolve('src/renderer/index.html'),
          // The same app behind the WebSocket bridge, for the loopback harness (Chromium).
          harness: resolve('src/renderer/harness/index.html'),
        },
      },
    },
  },
})
