/**
 * Logins: each server's OAuth login (status, account, scopes, expiry); "Log in" opens the
 * authorization page in the browser, "Log out" revokes and forgets the tokens.
 * Test hooks: list "Logins" with items named "Login for <server>"; buttons "Log in to <server>",
 * "Log out of <server>" then "Confirm"; while a login runs, the link "Open the login page".
 */
import { useState } from 'react';
import type { LoginStatus } from '../../../shared/schemas/logins.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { openExternalUrl, safeWebUrl } from '../api/open-url.ts';
import { ActionButton, ConfirmButton } from '../components/buttons.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { formatTime } from '../lib/time-format.ts';

const fetchLogins = (client: ServicesClient) => client.call('logins.list');

const stateLabels: Record<LoginStatus['state'], string> = {
  'not-required': 'no login needed',
  'logged-in': 'logged in',
  'in-progress': 'login in progress',
  'needs-login': 'needs login',
  error: 'error',
};

export function LoginsPage() {
  const client = useClient();
  const logins = useServiceQuery(client, fetchLogins, ['logins-changed', 'login-needed', 'servers-changed']);
  return (
    <div>
      <p className="page-intro">
        Servers that ask for OAuth get their own login. Gatehouse keeps the tokens; your clients never see
        them.
      </p>
      <QueryView
        query={logins}
        what="logins"
        isEmpty={(list) => list.length === 0}
        empty={<p>No servers yet.</p>}
      >
        {(list) => (
          <ul className="cards" aria-label="Logins">
            {list.map((login) => (
              <LoginItem key={login.server} login={login} onChanged={logins.reload} />
            ))}
          </ul>
        )}
      </QueryView>
    </div>
  );
}

function LoginLink(props: { url: string }) {
  const safe = safeWebUrl(props.url);
  if (!safe) return <code className="url">{props.url}</code>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer">
      Open the login page
    </a>
  );
}

function LoginItem(props: { login: LoginStatus; onChanged: () => void }) {
  const { login } = props;
  const client = useClient();
  const action = useAction();
  const [started, setStarted] = useState<{ url: string; opened: boolean } | undefined>();
  const badge =
    login.state === 'logged-in' ? 'connected' : login.state === 'not-required' ? 'idle' : login.state;
  const pendingUrl = started?.url ?? (login.state === 'in-progress' ? login.authorizationUrl : undefined);
  return (
    <li className="card" aria-label={`Login for ${login.server}`}>
      <div className="card-head">
        <h2 className="card-title">{login.server}</h2>
        <span className={`badge badge-${badge}`}>{stateLabels[login.state]}</span>
      </div>
      {login.state === 'logged-in' ? (
        <dl className="facts">
          <dt>Account</dt>
          <dd>{login.account ?? 'not stated by the server'}</dd>
          <dt>Issuer</dt>
          <dd>{login.issuer}</dd>
          <dt>Scopes</dt>
          <dd>{login.scopes.length ? login.scopes.join(' ') : 'none'}</dd>
          <dt>Expires</dt>
          <dd>
            {login.expiresAt ? formatTime(login.expiresAt) : 'not stated'}
            {login.refreshable ? ' (renews by itself)' : ' (log in again then)'}
          </dd>
        </dl>
      ) : null}
      {login.state === 'needs-login' || login.state === 'error' ? (
        <p className={`note ${login.state === 'error' ? 'note-error' : 'note-warn'}`}>{login.reason}</p>
      ) : null}
      {pendingUrl ? (
        <p className="note note-warn">
          Finish the login in your browser. {started?.opened ? 'It should have opened; if not: ' : ''}
          <LoginLink url={pendingUrl} />
        </p>
      ) : null}
      <div className="row">
        {login.state !== 'logged-in' ? (
          <ActionButton
            className="small primary"
            aria-label={`Log in to ${login.server}`}
            action={action}
            run={async () => {
              const result = await client.call('logins.start', { name: login.server });
              setStarted({
                url: result.authorizationUrl,
                opened: openExternalUrl(result.authorizationUrl, client.host),
              });
            }}
          >
            Log in
          </ActionButton>
        ) : null}
        {login.state === 'logged-in' || login.state === 'error' ? (
          <ConfirmButton
            label={`Log out of ${login.server}`}
            question={`Log out of ${login.server}?`}
            action={action}
            run={() => client.call('logins.logout', { name: login.server })}
            done="Logged out."
            onDone={() => {
              setStarted(undefined);
              props.onChanged();
            }}
          >
            Log out
          </ConfirmButton>
        ) : null}
      </div>
      <ActionFeedback action={action} />
    </li>
  );
}
