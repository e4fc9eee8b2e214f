import { useId, useState } from 'react';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/schemas/approvals.ts';
import { alwaysAnswer, alwaysExpiryOptions, answerApproval } from '../lib/approval-answer.ts';
import { argumentsText, fullArgumentsText } from '../lib/args-text.ts';
import { countdownLabel, formatCountdown, remainingMs } from '../lib/time-format.ts';
import { useNow } from '../hooks/use-now.ts';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { ActionButton } from './buttons.tsx';
import { ActionFeedback } from './feedback.tsx';
import { CheckField } from './fields.tsx';

/** The arguments of a call as text: collapsed pretty JSON, with a toggle for the full text. */
export function ArgumentsBlock(props: { value: unknown; label?: string }) {
  const [full, setFull] = useState(false);
  const collapsed = argumentsText(props.value);
  const text = full ? fullArgumentsText(props.value) : collapsed.text;
  const id = useId();
  return (
    <div className="args">
      <div className="args-head">
        <span id={id} className="label">
          {props.label ?? 'Arguments'}
        </span>
        {collapsed.collapsed ? (
          <button type="button" className="link" aria-expanded={full} onClick={() => setFull(!full)}>
            {full ? 'Collapse long values' : 'Show full arguments'}
          </button>
        ) : null}
      </div>
      <pre className="code" aria-labelledby={id} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}

/**
 * One pending approval with its four answers. Keyboard: the buttons are plain buttons, nothing is
 * focused or submitted by Enter by default; the popup view maps Escape to "Deny".
 * Test hooks: region named "Approval: <tool> on <server>"; buttons "Allow once", "Allow for this
 * session", "Always allow", "Deny"; checkbox "Only with these arguments"; select "Always allow expiry".
 */
export function ApprovalCard(props: { approval: PendingApproval; onAnswered?: () => void }) {
  const { approval } = props;
  const client = useClient();
  const action = useAction();
  const now = useNow(1000);
  const [onlyThese, setOnlyThese] = useState(false);
  const [expiry, setExpiry] = useState('');
  const expiryId = useId();
  const left = remainingMs(approval.expiresAt, now);
  const expired = left <= 0;

  /** One answer button: runs while the approval has not expired, then tells the parent. */
  const answerButton = (label: string, value: ApprovalAnswer, done: string, className?: string) => (
    <ActionButton
      className={className}
      action={action}
      disabled={expired}
      run={() => answerApproval(client, approval, value)}
      done={done}
      onDone={props.onAnswered}
    >
      {label}
    </ActionButton>
  );

  return (
    <section className="card approval" aria-label={`Approval: ${approval.tool} on ${approval.server}`}>
      <div className="approval-head">
        <h3 className="approval-tool">{approval.tool}</h3>
        <span className={`badge risk-${approval.risk}`}>{approval.risk}</span>
        <span
          className={`countdown${left < 15_000 ? ' countdown-soon' : ''}`}
          role="timer"
          aria-label={`Answer within ${countdownLabel(left)}`}
        >
          {formatCountdown(left)}
        </span>
      </div>
      <dl className="facts">
        <dt>Client</dt>
        <dd>{approval.client}</dd>
        <dt>Server</dt>
        <dd>{approval.server}</dd>
        <dt>Asked by</dt>
        <dd>{approval.ruleId ? `rule ${approval.ruleId}` : `the default for ${approval.risk} tools`}</dd>
        <dt>Why</dt>
        <dd>{approval.reason}</dd>
      </dl>
      <ArgumentsBlock value={approval.arguments} />
      <div className="answer-buttons">
        {answerButton('Allow once', { kind: 'allow-once' }, 'Allowed once.', 'primary')}
        {answerButton('Allow for this session', { kind: 'allow-session' }, 'Allowed for this session.')}
        {answerButton('Always allow', alwaysAnswer(onlyThese, expiry), 'Always allowed: a rule was added.')}
        {answerButton('Deny', { kind: 'deny', always: false }, 'Denied.', 'danger')}
      </div>
      <div className="always-options">
        <CheckField checked={onlyThese} onChange={setOnlyThese}>
          Only with these arguments
        </CheckField>
        <label htmlFor={expiryId} className="visually-hidden">
          Always allow expiry
        </label>
        <select id={expiryId} value={expiry} onChange={(event) => setExpiry(event.target.value)}>
          {alwaysExpiryOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <ActionFeedback action={action} />
    </section>
  );
}
