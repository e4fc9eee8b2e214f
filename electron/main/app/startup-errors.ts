import { DataFolderBusyError } from '../store/data-lock.ts';

/** The title and text of the error dialog shown when the desktop app cannot start. */
export interface StartupErrorText {
  title: string;
  message: string;
}

/**
 * Words a startup failure for the desktop dialog. A busy data folder names who holds it and what to
 * do, since the usual cause is a `gatehouse serve` left running in a terminal.
 */
export function describeStartupError(error: unknown): StartupErrorText {
  if (error instanceof DataFolderBusyError) {
    const { holder, dataDir } = error;
    const who =
      holder.kind === 'serve'
        ? `\`gatehouse serve\` (process ${holder.pid} on ${holder.host})`
        : `another Gatehouse desktop app (process ${holder.pid} on ${holder.host})`;
    const where = holder.url ? `, serving ${holder.url}` : '';
    return {
      title: 'Gatehouse is already running',
      message:
        `${who} is using the data folder ${dataDir}${where}, started ${holder.startedAt}.\n\n` +
        'Only one Gatehouse can serve a data folder. Stop the other one (Ctrl+C in its terminal), then ' +
        'start the desktop app again.',
    };
  }
  return {
    title: 'Gatehouse cannot start',
    message: error instanceof Error ? error.message : String(error),
  };
}
