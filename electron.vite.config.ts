import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { buildCsp, cspForMeta } from './electron/main/windows/csp.ts';

const root = import.meta.dirname;
const CSP_PLACEHOLDER = '%GATEHOUSE_CSP%';

/**
 * Fills the CSP `<meta>` placeholder in renderer/index.html from buildCsp(), so the header (set by the
 * main process) and the meta tag come from one tested function. Fails the build if the placeholder is
 * missing, rather than shipping a page without a policy.
 */
function cspMetaPlugin(): Plugin {
  let dev = false;
  return {
    name: 'gatehouse:csp-meta',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (!html.includes(CSP_PLACEHOLDER)) {
          throw new Error(`${context.filename} has no ${CSP_PLACEHOLDER} Content-Security-Policy <meta> tag`);
        }
        // In dev the page comes from the dev server, so its websocket is allowed; never in a build.
        const connectSrc = dev ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [];
        return html.replaceAll(CSP_PLACEHOLDER, cspForMeta(buildCsp({ dev, connectSrc })));
      },
    },
  };
}

/**
 * electron-vite builds three bundles into out/: the main process (ESM, node_modules external), the
 * settings preload as one self-contained CommonJS file (`.cjs`: sandboxed preloads cannot be ESM nor
 * require node_modules), and the React renderer.
 */
export default defineConfig({
  main: {
    build: {
      outDir: path.join(root, 'out/main'),
      // Dependencies stay in node_modules; the build tools the headless host uses to build the renderer
      // from a checkout are never bundled (a packaged app has its renderer built already).
      externalizeDeps: { include: ['vite', 'electron-vite'] },
      rolldownOptions: {
        input: { index: path.join(root, 'electron/main/index.ts') },
        // One file, out/main/index.js: the command line (`Gatehouse --cli`) is in it too, and code that
        // finds the app's files from its own location sees one layout.
        output: { codeSplitting: false },
      },
    },
  },
  preload: {
    build: {
      outDir: path.join(root, 'out/preload'),
      // Bundle everything (zod for the contract keys included): a sandboxed preload cannot require it.
      externalizeDeps: false,
      // One self-contained file per window kind: a shared chunk would be a require() the sandbox refuses.
      isolatedEntries: true,
      rolldownOptions: {
        input: {
          settings: path.join(root, 'electron/preload/settings.ts'),
          popup: path.join(root, 'electron/preload/popup.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: path.join(root, 'renderer'),
    plugins: [react(), cspMetaPlugin()],
    build: {
      outDir: path.join(root, 'out/renderer'),
      rolldownOptions: { input: { index: path.join(root, 'renderer/index.html') } },
    },
  },
});
