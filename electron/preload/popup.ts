/**
 * The approval popup's preload (out/preload/popup.cjs, CommonJS so the sandbox stays on). Narrower
 * than the settings preload: only the channels the popup uses (window-kinds.ts POPUP_CHANNELS:
 * approvals, status, settings for the theme) and `onEvent`. The main process enforces the same list.
 */
import { contextBridge } from 'electron';
import { POPUP_CHANNELS } from '../main/ipc/window-kinds.ts';
import { createBridge } from './expose-bridge.ts';

contextBridge.exposeInMainWorld('gatehouse', createBridge(POPUP_CHANNELS));
