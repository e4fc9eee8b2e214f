/**
 * electron-builder configuration: `npm run dist` (this platform) or `npm run dist:mac|win|linux`.
 * docs/packaging.md explains signing, notarization and what each target produces.
 */
import type { Configuration } from 'electron-builder';
import { APP_ID, PRODUCT_NAME } from './electron/main/app/app-identity.ts';

/** What never goes into app.asar, from our files or from dependencies. */
const EXCLUDED = [
  '!**/*.map',
  '!**/*.{d.ts,d.mts,d.cts}',
  '!**/*.{ts,tsx,mts,cts}',
  '!**/node_modules/*/{test,tests,__tests__,spec,example,examples,docs,doc,benchmark,benchmarks,.github}/**',
  '!**/node_modules/**/{README,CHANGELOG,HISTORY,readme,changelog}*.md',
  // better-sqlite3: its C++ sources and the prebuilt binaries of other platforms.
  '!**/node_modules/better-sqlite3/{deps,src}/**',
  '!**/node_modules/better-sqlite3/prebuilds/**',
  '**/node_modules/better-sqlite3/prebuilds/${platform}-*.node',
];

const config: Configuration = {
  appId: APP_ID,
  productName: PRODUCT_NAME,
  copyright: 'Copyright © 2026 the Gatehouse authors',
  directories: { output: 'dist', buildResources: 'build' },
  // Only the built app (electron-vite's out/) and package.json; production dependencies are added by
  // electron-builder from package.json `dependencies` (devDependencies never are).
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', ...EXCLUDED],
  extraResources: [
    // Tray icons per state, loaded by electron/main/app/tray-icon.ts from resources/tray.
    { from: 'build/tray', to: 'tray' },
    // The `gatehouse` command-line launchers (docs/packaging.md: "The gatehouse command").
    { from: 'build/bin', to: 'bin' },
  ],
  asar: true,
  // Native code cannot be loaded from inside an asar archive.
  asarUnpack: ['**/*.node'],
  // Rebuild native modules for Electron's ABI (better-sqlite3 also ships N-API prebuilds that load as is).
  npmRebuild: true,
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  fileAssociations: [],
  protocols: [],
  mac: {
    target: [
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ],
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.icns',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // Notarized when APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER or APPLE_ID/… are set.
    notarize: true,
    // A menu-bar app: no Dock icon at launch; the app shows one while a window is open.
    extendInfo: { LSUIElement: true },
  },
  dmg: { sign: false },
  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
    icon: 'build/icon.ico',
  },
  nsis: {
    // Per-user install: no administrator rights, installs under %LOCALAPPDATA%\Programs.
    oneClick: false,
    perMachine: false,
    allowElevation: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: false,
    createStartMenuShortcut: true,
    shortcutName: PRODUCT_NAME,
    deleteAppDataOnUninstall: false,
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ],
    executableName: 'gatehouse',
    icon: 'build/icon.png',
    category: 'Utility',
    synopsis: 'Personal MCP gateway',
    description:
      'A localhost gateway that checks, approves and audits every tool call your MCP clients make to remote servers.',
    maintainer: 'Gatehouse <gatehouse@users.noreply.github.com>',
    desktop: { entry: { StartupWMClass: 'Gatehouse', Keywords: 'MCP;AI;gateway;' } },
  },
  deb: {
    // Chromium's tray on Linux talks StatusNotifier over D-Bus; AppIndicator hosts implement it.
    recommends: ['libappindicator3-1 | libayatana-appindicator3-1'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};

export default config;
