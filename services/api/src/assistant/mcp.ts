import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '@pricebook/errors';
import type { ZodRawShape } from 'zod';
import { mcpToolsFor, runTool, type ToolContext } from './tools';

/** What a tool's answer or refusal looks like to an MCP client. */
async function answer(ctx: ToolContext, run: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const result = await run();
    return { content: [{ type: 'text', text: JSON.stringify(result) }] };
  } catch (err) {
    if (err instanceof AppError && err.code !== 'internal') {
      return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}` }] };
    }
    ctx.log.error({ err }, 'assistant tool failed');
    return { isError: true, content: [{ type: 'text', text: 'internal: the tool failed' }] };
  }
}

/**
 * An MCP server with the assistant's tools for one caller: the tools its role allows (the
 * confirmation only for operator keys), each run with the caller's tenant. Built per request:
 * the endpoint is stateless.
 *
 * @example
 * const server = mcpServerFor(ctx);
 * await server.connect(transport);
 */
export function mcpServerFor(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: 'pricebook', version: '1.0.0' });
  for (const t of mcpToolsFor(ctx.role)) {
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: t.input.shape as ZodRawShape,
        annotations: {
          title: t.title,
          readOnlyHint: t.readOnly,
          // A proposal only drafts; a confirmation overwrites field values.
          destructiveHint: t.name === 'confirm_proposal',
          idempotentHint: t.readOnly,
          openWorldHint: false,
        },
      },
      (args: unknown) => answer(ctx, () => runTool(ctx, t, args)),
    );
  }
  return server;
}
