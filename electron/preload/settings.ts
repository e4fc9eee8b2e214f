/**
 * The settings window's preload. Built as CommonJS (out/preload/settings.cjs) so the window keeps
 * `sandbox: true`. It exposes one object, `window.gatehouse`: every services channel
 * (`gatehouse.call['servers.list']()`), `onEvent`, and `openExternal` for https links (checked again in
 * the main process).
 */
import { contextBridge } from 'electron';
import { OPEN_EXTERNAL_CHANNEL, serviceChannels, type GatehouseBridge } from '../main/ipc/bridge-protocol.ts';
import { createBridge, invokeChecked } from './expose-bridge.ts';

const bridge: GatehouseBridge = {
  ...createBridge(serviceChannels),
  async openExternal(url: string) {
    return (await invokeChecked(OPEN_EXTERNAL_CHANNEL, String(url))) === true;
  },
};

contextBridge.exposeInMainWorld('gatehouse', bridge);
