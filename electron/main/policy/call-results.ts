import type { Change } from '../../../shared/schemas/changes.ts';
import type { CallOutcome } from '../audit/audit-log.ts';
import type { JsonRpcRequest, JsonRpcResponse } from '../base/json-rpc.ts';
import type { ToolState } from '../pinning/pin-service.ts';
import type { Decision } from './decide.ts';

/** A changed tool in "ask" mode asks on every call, whatever policy would have allowed. */
export function pinnedDecision(decision: Decision, pin: ToolState): Decision {
  if (pin.kind !== 'ask' || decision.action === 'deny' || decision.action === 'hide') return decision;
  return {
    ...decision,
    action: 'ask',
    reason: `its definition changed since it was pinned (${pin.change.id}); ${decision.reason}`,
  } as Decision;
}

/** What the model reads when a held tool is called. */
export function heldText(change: Change, tool: string, server: string): string {
  const what = change.change === 'new' ? 'is new on' : 'changed its definition on';
  return (
    `Gatehouse is holding the tool "${tool}": it ${what} server "${server}" and must be reviewed first. ` +
    `Ask the user to review change ${change.id} in Gatehouse (Changes page, or \`gatehouse changes show ${change.id}\`).`
  );
}

export function ruleIdOf(decision: Decision): string | undefined {
  return 'ruleId' in decision ? decision.ruleId : undefined;
}

export function toolError(request: JsonRpcRequest, text: string): JsonRpcResponse {
  return { jsonrpc: '2.0', id: request.id, result: { content: [{ type: 'text', text }], isError: true } };
}

/** Maps what came back to the audit outcome vocabulary. */
export function classifyOutcome(response: JsonRpcResponse | undefined): CallOutcome['outcome'] {
  if (!response) return 'cancelled';
  if ('error' in response) {
    const failure = (response.error.data as { failure?: unknown } | undefined)?.failure;
    if (failure === 'timeout') return 'timeout';
    if (typeof failure === 'string') return 'upstream-failure';
    return 'protocol-error';
  }
  return response.result.isError === true ? 'tool-error' : 'ok';
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
