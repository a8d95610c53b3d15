import { createRoute, z } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { mcpServerFor } from '../assistant/mcp';
import { toolContext } from '../assistant/request-context';
import { logToolCall, type ToolContext } from '../assistant/tools';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { columnDimensionsOf } from '../queries/search';

/** A `tools/call` request, as far as the log needs it. */
const ToolsCall = z.object({
  method: z.literal('tools/call'),
  params: z.object({ name: z.string(), arguments: z.unknown().optional() }),
});

/** One JSON-RPC 2.0 message (or a batch); the MCP SDK checks the rest. */
const JsonRpcBody = z
  .union([
    z.looseObject({ jsonrpc: z.literal('2.0') }),
    z.array(z.looseObject({ jsonrpc: z.literal('2.0') })),
  ])
  .openapi('McpRequest', {
    example: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'status', arguments: {} } },
  });

/**
 * Logs the `tools/call` requests no tool ran for: the SDK answers an unknown tool or arguments its
 * schema refuses before a tool sees them, and every call is logged with its arguments.
 */
function logUnrunCalls(ctx: ToolContext, body: unknown): void {
  const logged = [...ctx.logged];
  for (const message of Array.isArray(body) ? body : [body]) {
    const call = ToolsCall.safeParse(message);
    if (!call.success) continue;
    const { name, arguments: args } = call.data.params;
    const seen = logged.indexOf(name);
    if (seen >= 0) logged.splice(seen, 1);
    else logToolCall(ctx, name, args ?? {}, 'refused by the MCP server (unknown tool or invalid arguments)');
  }
}

/**
 * `POST /api/mcp` (viewer): the Model Context Protocol over streamable HTTP (stateless: JSON
 * answers, no session), with the assistant's tools. The key's role and tenant apply: every key sees
 * the read tools and `propose_changes`; operator and admin keys also `confirm_proposal`.
 *
 * @example
 * registerMcp(app, deps);
 */
export function registerMcp(app: ApiApp, deps: RouteDeps): void {
  const columnDimensions = columnDimensionsOf(() => deps.orm.em.fork());
  const route = createRoute({
    method: 'post',
    path: '/api/mcp',
    tags: ['Assistant'],
    summary: 'MCP server (streamable HTTP)',
    description:
      "The assistant's tools for a team's own agent, over the Model Context Protocol's streamable HTTP transport " +
      '(JSON-RPC 2.0; stateless, answers are JSON). Tools: `search`, `get_item`, `list_conflicts`, `status`, ' +
      "`propose_changes` (drafts a proposal, writes no record), and for operator keys `confirm_proposal`. The key's " +
      'tenant applies as on every route (`Pricebook-Tenant` names one for a key of several). A notification is ' +
      'answered 202 with no body; `GET` and `DELETE` 405 (no stream, no session). With `MCP_ALLOWED_HOSTS` set, ' +
      'a request whose `Host` is not in it is refused 403 (DNS-rebinding protection). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: JsonRpcBody } } } },
    responses: {
      200: {
        description: 'The JSON-RPC response',
        content: {
          'application/json': {
            schema: z.looseObject({ jsonrpc: z.literal('2.0') }).openapi('McpResponse', {
              example: {
                jsonrpc: '2.0',
                id: 1,
                result: { content: [{ type: 'text', text: '{"lastSync":null}' }] },
              },
            }),
          },
        },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const ctx = toolContext(deps, c, columnDimensions);
    const server = mcpServerFor(ctx);
    const allowedHosts = deps.config.mcp?.allowedHosts;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // DNS-rebinding protection, when the deployment names its hosts (MCP_ALLOWED_HOSTS).
      ...(allowedHosts ? { enableDnsRebindingProtection: true, allowedHosts: [...allowedHosts] } : {}),
    });
    await server.connect(transport);
    try {
      // The JSON-RPC answer (or its error) has the transport's status and headers.
      return (await transport.handleRequest(c.req.raw, { parsedBody: body })) as never;
    } finally {
      await server.close();
      logUnrunCalls(ctx, body);
    }
  });
  // Stateless: no server-sent stream to open and no session to end (the protocol's answer to both).
  app.all('/api/mcp', (c) =>
    c.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }, 405, {
      Allow: 'POST',
    }),
  );
}
