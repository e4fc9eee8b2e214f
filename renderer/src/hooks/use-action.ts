import { useCallback, useRef, useState } from 'react';

/** A button's action in flight: disable while busy, show the error or a short success note after. */
export interface ActionState {
  busy: boolean;
  error: string | undefined;
  done: string | undefined;
  /** Runs `action`; resolves true on success. Concurrent runs are ignored while one is busy. */
  run: (action: () => Promise<unknown>, doneMessage?: string) => Promise<boolean>;
  clear: () => void;
}

export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const running = useRef(false);
  const run = useCallback(async (action: () => Promise<unknown>, doneMessage?: string) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await action();
      setDone(doneMessage);
      return true;
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setError(undefined);
    setDone(undefined);
  }, []);
  return { busy, error, done, run, clear };
}
