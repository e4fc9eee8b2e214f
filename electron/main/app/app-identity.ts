/**
 * The app's identity, one place for the packaging config (electron-builder.config.ts) and the app:
 * Windows needs the same id as `setAppUserModelId` for notifications and the taskbar.
 */
export const APP_ID = 'app.gatehouse.desktop';
export const PRODUCT_NAME = 'Gatehouse';
