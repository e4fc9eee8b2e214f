import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type CallToolResult,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/**
 * Answers server-everything's sampling request (as `model`) and its elicitation form on `client`, then
 * calls the two tools that trigger them (`prefix` names the server on the aggregated endpoint) and
 * returns what each call returned. `sampledIds` collects the request ids the client saw.
 */
export async function answerSamplingAndElicitation(
  client: Client,
  options: { model: string; prefix?: string; sampledIds?: RequestId[] },
): Promise<{ sampled: CallToolResult; elicited: CallToolResult }> {
  const prefix = options.prefix ?? '';
  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    options.sampledIds?.push(extra.requestId);
    return {
      role: 'assistant',
      model: options.model,
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    };
  });
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept',
    content: {
      name: 'Ada',
      check: true,
      email: 'ada@example.com',
      integer: 7,
      number: 3.5,
      enum: 'option1',
    },
  }));
  const sampled = (await client.callTool({
    name: `${prefix}trigger-sampling-request`,
    arguments: { prompt: 'hi', maxTokens: 5 },
  })) as CallToolResult;
  const elicited = (await client.callTool({
    name: `${prefix}trigger-elicitation-request`,
    arguments: {},
  })) as CallToolResult;
  return { sampled, elicited };
}
