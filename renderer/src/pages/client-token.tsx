import { useId, useState } from 'react';
import type { NewClientResult } from '../../../shared/schemas/clients.ts';
import type { ServerView } from '../../../shared/schemas/servers.ts';
import { CopyButton } from '../components/buttons.tsx';
import { SelectField } from '../components/fields.tsx';
import {
  configSnippet,
  endpointUrl,
  entryNameFor,
  snippetTargets,
  type SnippetTarget,
} from '../lib/config-snippets.ts';

/**
 * A new client's token, shown once, with its endpoint and the exact config to paste into common
 * clients. Test hooks: region "New client token"; the token in the element labelled "Token"; selects
 * "Endpoint" and "Paste into"; the snippet in the element labelled "Config snippet"; button
 * "I have saved the token".
 */
export function NewClientToken(props: {
  created: NewClientResult;
  gatewayUrl: string | undefined;
  servers: ServerView[];
  onDismiss: () => void;
}) {
  const { created } = props;
  const [server, setServer] = useState('');
  const [target, setTarget] = useState<SnippetTarget>('claude-code');
  const ids = useId();
  const gatewayUrl = props.gatewayUrl ?? 'http://127.0.0.1:7337';
  const url = endpointUrl(gatewayUrl, server || undefined);
  const snippet = configSnippet(target, {
    entryName: entryNameFor(server || undefined),
    url,
    token: created.token,
  });
  const where = snippetTargets.find((item) => item.id === target)?.where ?? '';
  return (
    <section className="card token" aria-label="New client token">
      <h2>Client “{created.name}” created</h2>
      <p className="note note-warn">
        Copy the token now: Gatehouse keeps only its hash and cannot show it again.
      </p>
      <div className="field">
        <span id={`${ids}-token`} className="label">
          Token
        </span>
        <div className="row">
          <code className="secret" aria-labelledby={`${ids}-token`} tabIndex={0}>
            {created.token}
          </code>
          <CopyButton text={created.token} label="Copy token" />
        </div>
      </div>
      <SelectField
        label="Endpoint"
        value={server}
        choices={[
          { value: '', label: 'All servers (/mcp)' },
          ...props.servers.map((item) => ({ value: item.name, label: `${item.name} (/mcp/${item.name})` })),
        ]}
        onChange={setServer}
      />
      <p className="row">
        <code className="url">{url}</code>
        <CopyButton text={url} label="Copy endpoint URL" />
      </p>
      <SelectField
        label="Paste into"
        value={target}
        choices={snippetTargets.map((item) => ({ value: item.id, label: item.label }))}
        onChange={setTarget}
      />
      <p className="muted">{where}</p>
      <pre className="code" id={`${ids}-snippet`} aria-label="Config snippet" tabIndex={0}>
        {snippet}
      </pre>
      <div className="row">
        <CopyButton text={snippet} label="Copy snippet" />
        <button type="button" onClick={props.onDismiss}>
          I have saved the token
        </button>
      </div>
    </section>
  );
}
