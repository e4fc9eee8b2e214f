import { useState } from 'react';
import type { ServicesClient } from '../api/services-client.ts';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useNow } from '../hooks/use-now.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { formatTime } from '../lib/time-format.ts';
import { ActionButton } from './buttons.tsx';
import { ActionFeedback } from './feedback.tsx';

const choices = [
  { label: 'Pause 15 min', forMinutes: 15 },
  { label: 'Pause 1 hour', forMinutes: 60 },
  { label: 'Pause until resumed', forMinutes: undefined },
] as const;

const fetchStatus = (client: ServicesClient) => client.call('status.get');

/**
 * "Pause writes" (every call that is not read-only asks, or is denied) for 15 min / 1 h / until
 * resumed, and "Resume", with the pause in force (from the core's status, so a pause made in the tray
 * or on the command line shows too).
 * Test hooks: group "Pause writes"; buttons "Pause 15 min", "Pause 1 hour", "Pause until resumed",
 * "Resume" (use exact: true); select "While paused"; the state line starts "Writes paused".
 */
export function PauseControls() {
  const client = useClient();
  const action = useAction();
  const status = useServiceQuery(client, fetchStatus, ['status-changed', 'rules-changed']);
  const now = useNow(15_000);
  const [mode, setMode] = useState<'ask' | 'deny'>('ask');
  const pause = status.data?.pause;
  // A timed pause ends on its own; the clock hides it without waiting for an event.
  const paused = pause && (pause.until === undefined || Date.parse(pause.until) > now) ? pause : undefined;
  return (
    <div className="pause" role="group" aria-label="Pause writes">
      {paused ? (
        <p className="status status-paused" role="status">
          Writes paused ({paused.mode === 'deny' ? 'denied' : 'they ask first'})
          {paused.until ? ` until ${formatTime(paused.until)}` : ' until resumed'}.
        </p>
      ) : null}
      <div className="row">
        <label>
          While paused{' '}
          <select value={mode} onChange={(event) => setMode(event.target.value as 'ask' | 'deny')}>
            <option value="ask">writes ask</option>
            <option value="deny">writes are denied</option>
          </select>
        </label>
        {choices.map((choice) => (
          <ActionButton
            key={choice.label}
            className="small"
            action={action}
            run={() =>
              client.call(
                'policy.pause',
                choice.forMinutes === undefined ? { mode } : { mode, forMinutes: choice.forMinutes },
              )
            }
            done={`Writes paused${choice.forMinutes ? ` for ${choice.forMinutes} minutes` : ' until resumed'}.`}
            onDone={status.reload}
          >
            {choice.label}
          </ActionButton>
        ))}
        <ActionButton
          className="small"
          action={action}
          run={() => client.call('policy.resume')}
          done="Writes resumed."
          onDone={status.reload}
        >
          Resume
        </ActionButton>
      </div>
      <ActionFeedback action={action} />
    </div>
  );
}
