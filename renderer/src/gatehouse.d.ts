import type { GatehouseBridge } from '../../electron/main/ipc/bridge-protocol.ts';

declare global {
  interface Window {
    /** Set by the settings preload in the desktop app; absent in a plain browser. */
    readonly gatehouse?: GatehouseBridge;
  }
}
