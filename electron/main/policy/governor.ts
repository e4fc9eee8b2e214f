import type { ApprovalAnswer } from '../../../shared/schemas/approvals.ts';
import type { Risk, Rule } from '../../../shared/schemas/policy.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import type { AuditLog, CallOutcome } from '../audit/audit-log.ts';
import { ErrorCode, errorResponse, type JsonRpcRequest, type JsonRpcResponse } from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import type { UpstreamSession } from '../gateway/upstream/upstream-session.ts';
import type { ApprovalQueue, ApprovalResult } from './approval-queue.ts';
import { canonicalHash } from '../base/canonical-json.ts';
import { decide, isHiddenFromList, type Decision } from './decide.ts';
import { approvalDenialText, denialText } from './denial-text.ts';
import { newRuleId } from './rule-id.ts';
import { classifyRisk } from './risk.ts';
import {
  classifyOutcome,
  escapePointer,
  heldText,
  pinnedDecision,
  ruleIdOf,
  toolError,
} from './call-results.ts';
import type { ToolCatalog } from './tool-catalog.ts';
import type { ChangeSource, PinService } from '../pinning/pin-service.ts';
import {
  LIST_METHODS,
  isCompleteList,
  isFirstPage,
  listAll,
  listMethod,
  listMethodChangedBy,
  type ListMethod,
} from '../pinning/list-all.ts';
import { pinScope } from '../pinning/pin-scope.ts';

/** What the governor needs to know about the session a call arrives on. */
export interface GovernedSession {
  readonly id: string;
  readonly info: { clientName: string; serverName: string; profile?: string };
  readonly upstream: UpstreamSession;
  /** Tools the person allowed "for this session". */
  readonly sessionAllowed: Set<string>;
}

/** A session as listing sees it: who, where, and what it was last shown. */
export interface ListingSession {
  readonly info: { clientName: string; serverName: string; profile?: string };
  listed: { names: string[]; hidden: string } | undefined;
}

/** How a held call reports that it is still alive, on the request's own stream. */
export interface CallChannel {
  sendProgress(params: Record<string, unknown>): void;
  signal: AbortSignal;
}

const PROGRESS_EVERY_MS = 5_000;

export interface GovernorDeps {
  settings: () => Settings;
  updateSettings: (mutate: (draft: Settings) => void) => void;
  audit: AuditLog;
  approvals: ApprovalQueue;
  catalog: ToolCatalog;
  trusted: (server: string) => boolean;
  pins: PinService;
  logger: Logger;
  /** How often a held call sends progress (must stay under 10 s so client timeouts keep resetting). */
  progressEveryMs?: number;
}

/**
 * Every `tools/call` passes here before it reaches a server: decided by policy (allow, deny, ask, hide),
 * held for the person when asked, and written ahead to the audit log — the call is forwarded only
 * after its intent record is committed, and its result reaches the client only after the outcome is.
 */
export class Governor {
  readonly #d: GovernorDeps;

  constructor(deps: GovernorDeps) {
    this.#d = deps;
  }

  /** Decides, audits and (when allowed) forwards one tools/call. Returns the response for the client. */
  async governCall(
    session: GovernedSession,
    request: JsonRpcRequest,
    channel: CallChannel,
    forward: () => Promise<JsonRpcResponse | undefined>,
  ): Promise<JsonRpcResponse | undefined> {
    const params = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
    const tool = typeof params.name === 'string' ? params.name : '';
    const args = (params.arguments ?? {}) as Record<string, unknown>;
    const server = session.info.serverName;
    const client = session.info.clientName;
    const settings = this.#d.settings();
    if (!this.#d.catalog.get(server, tool)) {
      await this.relist(session, 'tools/list', 'list', channel.signal).catch((error: unknown) => {
        this.#d.logger.debug('could not list tools for a policy decision', { server, error: String(error) });
      });
    }
    const scope = pinScope(session.info);
    const pin = this.#d.pins.toolState(scope, tool);
    // A tool whose pinned description shows signs of poisoning is judged as if it had no annotations.
    const raised = this.#d.pins.riskRaised(scope, tool);
    const decided = decide({
      client,
      server,
      tool,
      args,
      annotations: raised ? undefined : this.#d.catalog.get(server, tool)?.annotations,
      trusted: this.#d.trusted(server) && !raised,
      rules: settings.rules,
      defaults: settings.policy.defaults,
      pause: settings.pause,
      sessionAllowed: session.sessionAllowed.has(tool),
      now: new Date(),
    });
    const decision = pinnedDecision(decided, pin);
    const base = {
      client,
      session: session.id,
      server,
      tool,
      requestId: String(request.id),
      args,
      risk: decision.risk,
    };

    if (pin.kind === 'held' && decision.action !== 'hide') {
      await this.#recordRefusal({ ...base, decision: 'deny', reason: heldText(pin.change, tool, server) });
      return toolError(request, heldText(pin.change, tool, server));
    }
    switch (decision.action) {
      case 'hide':
        await this.#recordRefusal({
          ...base,
          decision: 'hide',
          ruleId: ruleIdOf(decision),
          reason: decision.reason,
        });
        // A hidden tool does not exist for this client (mcp-protocol-notes.md §5.6).
        return errorResponse(request.id, ErrorCode.InvalidParams, `Unknown tool: ${tool}`);
      case 'deny':
        await this.#recordRefusal({
          ...base,
          decision: 'deny',
          ruleId: ruleIdOf(decision),
          reason: decision.reason,
        });
        return toolError(request, denialText(decision, { server, tool }));
      case 'allow':
        return this.#forwardAudited(
          { ...base, decision: 'allow', ruleId: ruleIdOf(decision) },
          request,
          forward,
        );
      case 'ask':
        return this.#ask(session, request, channel, decision, base, forward);
    }
  }

  /** Audits a tools/call refused because the tool is outside the client's tool filter (a hidden tool). */
  async recordFiltered(session: GovernedSession, request: JsonRpcRequest): Promise<void> {
    const params = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
    const { clientName: client, serverName: server } = session.info;
    const tool = typeof params.name === 'string' ? params.name : '';
    const raised = this.#d.pins.riskRaised(pinScope(session.info), tool);
    const annotations = raised ? undefined : this.#d.catalog.get(server, tool)?.annotations;
    await this.#recordRefusal({
      client,
      session: session.id,
      server,
      tool,
      requestId: String(request.id),
      args: (params.arguments ?? {}) as Record<string, unknown>,
      risk: classifyRisk(annotations, this.#d.trusted(server) && !raised),
      decision: 'hide',
      reason: `not in client "${client}"'s tool filter`,
    });
  }

  async #ask(
    session: GovernedSession,
    request: JsonRpcRequest,
    channel: CallChannel,
    decision: Decision,
    base: AuditBase,
    forward: () => Promise<JsonRpcResponse | undefined>,
  ): Promise<JsonRpcResponse | undefined> {
    const timeoutSeconds = this.#d.settings().approvals.timeoutSeconds;
    const { approval, result } = this.#d.approvals.ask(
      {
        client: base.client,
        session: base.session,
        requestId: base.requestId,
        server: base.server,
        tool: base.tool,
        arguments: base.args,
        argumentsHash: canonicalHash(base.args),
        risk: decision.risk,
        ...(ruleIdOf(decision) ? { ruleId: ruleIdOf(decision) } : {}),
        reason: decision.reason,
      },
      timeoutSeconds,
    );
    // The client cancelling, or its session ending, withdraws the approval: never forwarded then.
    let cancelledByClient = false;
    const withdraw = () => {
      if (!this.#d.approvals.list().some((a) => a.id === approval.id)) return; // already settled
      cancelledByClient = true;
      this.#d.approvals.withdraw((a) => a.id === approval.id, 'the client cancelled the call');
    };
    channel.signal.addEventListener('abort', withdraw, { once: true });
    const stopProgress = this.#keepAlive(request, channel, base);
    let outcome: ApprovalResult;
    try {
      outcome = await result;
    } finally {
      stopProgress();
      channel.signal.removeEventListener('abort', withdraw);
    }
    void this.#d.audit
      .writeEvent({
        kind: 'approval',
        client: base.client,
        session: base.session,
        server: base.server,
        tool: base.tool,
        detail: { approvalId: approval.id, ...outcome },
      })
      .catch(() => {});

    if (outcome.outcome === 'answered' && outcome.answer.kind !== 'deny') {
      this.#applyAnswer(session, base, outcome.answer);
      return this.#forwardAudited(
        {
          ...base,
          decision: 'ask',
          ruleId: ruleIdOf(decision),
          approvalAnswer: outcome.answer.kind,
          approvalMs: outcome.latencyMs,
        },
        request,
        forward,
      );
    }
    if (outcome.outcome === 'answered') this.#applyAnswer(session, base, outcome.answer);
    await this.#recordRefusal(
      {
        ...base,
        decision: 'ask',
        ruleId: ruleIdOf(decision),
        approvalAnswer: outcome.outcome === 'answered' ? outcome.answer.kind : outcome.outcome,
        ...(outcome.outcome === 'answered' ? { approvalMs: outcome.latencyMs } : {}),
        reason: outcome.outcome === 'withdrawn' ? outcome.why : undefined,
      },
      cancelledByClient ? 'cancelled' : 'denied',
    );
    if (cancelledByClient) return undefined; // the client is gone or gave up: no answer
    const kind =
      outcome.outcome === 'answered'
        ? 'denied-by-user'
        : outcome.outcome === 'timeout'
          ? 'timeout'
          : 'withdrawn';
    return toolError(
      request,
      approvalDenialText(
        { kind, ...(outcome.outcome === 'timeout' ? { timeoutSeconds: outcome.timeoutSeconds } : {}) },
        { server: base.server, tool: base.tool },
      ),
    );
  }

  /** Writes the intent, forwards, writes the outcome; a log that cannot be written stops the call. */
  async #forwardAudited(
    intent: AuditBase & {
      decision: 'allow' | 'ask';
      ruleId?: string;
      approvalAnswer?: string;
      approvalMs?: number;
    },
    request: JsonRpcRequest,
    forward: () => Promise<JsonRpcResponse | undefined>,
  ): Promise<JsonRpcResponse | undefined> {
    let seq: number;
    try {
      seq = await this.#d.audit.writeIntent(intent);
    } catch (error) {
      this.#d.logger.error('audit write failed; call refused', { error: (error as Error).message });
      return errorResponse(
        request.id,
        ErrorCode.InternalError,
        `Gatehouse refused to forward this call because it cannot write its audit log (${(error as Error).message}).`,
      );
    }
    const started = performance.now();
    const response = await forward();
    const outcome: CallOutcome = {
      outcome: classifyOutcome(response),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(response ? { resultBytes: JSON.stringify(response).length } : {}),
      ...(response && 'error' in response ? { error: response.error.message } : {}),
    };
    await this.#d.audit.writeOutcome(seq, outcome).catch((error: unknown) => {
      this.#d.logger.error('audit outcome write failed', { error: (error as Error).message });
    });
    return response;
  }

  async #recordRefusal(
    intent: AuditBase & {
      decision: 'deny' | 'ask' | 'hide';
      ruleId?: string;
      approvalAnswer?: string;
      approvalMs?: number;
      reason?: string;
    },
    outcome: 'denied' | 'cancelled' = 'denied',
  ): Promise<void> {
    try {
      const seq = await this.#d.audit.writeIntent(intent);
      await this.#d.audit.writeOutcome(seq, { outcome, durationMs: 0 });
    } catch (error) {
      this.#d.logger.error('audit write failed for a refused call', { error: (error as Error).message });
    }
  }

  /**
   * Records the tools a server offers (for risk) and removes the ones policy hides from this client.
   * The filtered list is what the client sees; a hidden tool is an unknown tool.
   */
  filterToolsList(
    session: ListingSession,
    request: JsonRpcRequest,
    response: JsonRpcResponse,
  ): JsonRpcResponse {
    if (!('result' in response) || !Array.isArray(response.result.tools)) return response;
    const server = session.info.serverName;
    this.#d.catalog.observe(server, request, response);
    const tools = response.result.tools as { name?: unknown }[];
    const names = tools.map((t) => String(t.name));
    const firstPage = isFirstPage(request);
    this.#d.pins.observe(pinScope(session.info), 'tool', tools, isCompleteList(request, response), 'list');
    const hidden = this.#hidden(session, names);
    const all = firstPage ? names : [...(session.listed?.names ?? []), ...names];
    session.listed = { names: all, hidden: this.#hidden(session, all).join('\n') };
    if (hidden.length === 0) return response;
    const drop = new Set(hidden);
    return {
      ...response,
      result: { ...response.result, tools: tools.filter((t) => !drop.has(String(t.name))) },
    };
  }

  /** Policy changed: sessions whose visible tools changed are told to list again (list_changed). */
  policyChanged(sessions: Iterable<ListingSession & { notifyToolsChanged(): void }>): void {
    for (const session of sessions) {
      if (!session.listed) continue;
      const hidden = this.#hidden(session, session.listed.names).join('\n');
      if (hidden === session.listed.hidden) continue;
      session.listed = { names: session.listed.names, hidden };
      session.notifyToolsChanged();
    }
  }

  /** Pins the server's instructions from an initialize result passing through. */
  observeInitialize(server: string, response: JsonRpcResponse): void {
    if (!('result' in response)) return;
    const instructions = response.result.instructions;
    this.#d.pins.observeInstructions(
      server,
      typeof instructions === 'string' ? instructions : undefined,
      'list',
    );
  }

  /** Pins prompts and resource templates from lists passing through (tools go via filterToolsList). */
  observeList(session: ListingSession, request: JsonRpcRequest, response: JsonRpcResponse): void {
    if (!('result' in response)) return;
    const method = listMethod(request.method);
    if (!method || method === 'tools/list') return;
    const items = response.result[LIST_METHODS[method].field];
    if (!Array.isArray(items)) return;
    const complete = isCompleteList(request, response);
    this.#d.pins.observe(pinScope(session.info), LIST_METHODS[method].kind, items, complete, 'list');
  }

  /** Lists a server through a session's upstream and pins what it sees (a list_changed, or before a call). */
  async relist(
    session: GovernedSession,
    method: ListMethod,
    source: ChangeSource,
    signal?: AbortSignal,
  ): Promise<void> {
    const server = session.info.serverName;
    const items = await listAll(session.upstream, method, signal);
    if (method === 'tools/list') this.#d.catalog.set(server, items);
    this.#d.pins.observe(pinScope(session.info), LIST_METHODS[method].kind, items, true, source);
  }

  /** The server announced a list change: re-list at once, so a silent change is caught even if the client never re-lists. */
  upstreamListChanged(session: GovernedSession, notification: string): void {
    const method = listMethodChangedBy(notification);
    if (!method) return;
    if (method === 'tools/list') this.#d.catalog.forget(session.info.serverName);
    this.relist(session, method, 'list-changed').catch((error: unknown) => {
      this.#d.logger.warn('re-list after list_changed failed', {
        server: session.info.serverName,
        error: String(error),
      });
    });
  }

  /** Hidden from this client: by a hide rule, or held by pinning (changed or new, not yet reviewed). */
  #hidden(session: ListingSession, names: string[]): string[] {
    const rules = this.#d.settings().rules;
    const now = new Date();
    const held = this.#d.pins.hiddenTools(pinScope(session.info));
    return names
      .filter(
        (name) =>
          held.has(name) ||
          isHiddenFromList(session.info.clientName, session.info.serverName, name, rules, now),
      )
      .sort();
  }

  /** "Allow for this session" and "always" answers change what later calls meet. */
  #applyAnswer(session: GovernedSession, base: AuditBase, answer: ApprovalAnswer): void {
    if (answer.kind === 'allow-session') session.sessionAllowed.add(base.tool);
    if (answer.kind !== 'allow-always' && !(answer.kind === 'deny' && answer.always)) return;
    const now = new Date();
    const rule: Rule = {
      id: newRuleId(),
      action: answer.kind === 'deny' ? 'deny' : 'allow',
      server: base.server,
      tool: base.tool,
      client: base.client,
      args:
        answer.kind === 'allow-always' && answer.onlyTheseArguments
          ? Object.entries(base.args).map(([key, value]) => ({
              pointer: `/${escapePointer(key)}`,
              op: 'equals' as const,
              value,
            }))
          : [],
      ...(answer.kind === 'allow-always' && answer.expiresInMinutes
        ? { expiresAt: new Date(now.getTime() + answer.expiresInMinutes * 60_000).toISOString() }
        : {}),
      note: `from an approval answer for client ${base.client}`,
      createdAt: now.toISOString(),
      source: 'approval',
    };
    try {
      this.#d.updateSettings((draft) => {
        draft.rules.push(rule);
      });
    } catch (error) {
      this.#d.logger.error('could not save the rule from an approval', { error: (error as Error).message });
    }
  }

  /** Progress notifications at least every 10 s while held, so the client's timeout keeps resetting. */
  #keepAlive(request: JsonRpcRequest, channel: CallChannel, base: AuditBase): () => void {
    const token = (request.params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
    if (typeof token !== 'string' && typeof token !== 'number') return () => {};
    let progress = 0;
    const send = () =>
      channel.sendProgress({
        progressToken: token,
        progress: ++progress,
        message: `Waiting for your approval in Gatehouse to run ${base.tool} on ${base.server}`,
      });
    send();
    const timer = setInterval(send, this.#d.progressEveryMs ?? PROGRESS_EVERY_MS);
    return () => clearInterval(timer);
  }
}

interface AuditBase {
  client: string;
  session: string;
  server: string;
  tool: string;
  requestId: string;
  args: Record<string, unknown>;
  risk: Risk;
}
