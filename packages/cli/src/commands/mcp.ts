import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Command } from '../command';
import { CliError, exitCodes, usageError } from '../errors';

const help = `Serve the pricebook assistant's tools to a local agent over MCP (stdio).

Usage: pricebook mcp

Speaks the Model Context Protocol on stdin/stdout and forwards every request to the API's MCP
endpoint (POST /api/mcp) with PRICEBOOK_API_KEY and the tenant: the key's role and tenant apply.
Tools: search, get_item, list_conflicts, status, propose_changes (drafts a proposal, writes no
record), and confirm_proposal for operator keys. Logs go to stderr; stdout is the protocol's.

Example (an agent's MCP settings):
  { "command": "pricebook", "args": ["mcp"],
    "env": { "PRICEBOOK_API_URL": "https://pricebook.example.com", "PRICEBOOK_API_KEY": "…" } }`;

/** `pricebook mcp`: a stdio MCP server that is a thin bridge to the API's streamable HTTP one. */
export const mcpCommand: Command = {
  name: 'mcp',
  summary: "the assistant's tools for a local agent (MCP over stdio)",
  help,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) throw usageError(`unexpected argument "${ctx.positionals[0]}"`, 'mcp');
    const { stdio } = ctx.io;
    if (!stdio) throw new CliError('mcp needs the process streams', exitCodes.failure);
    const { baseUrl, apiKey, tenant } = ctx.config;
    if (!apiKey) throw usageError('set PRICEBOOK_API_KEY: the MCP endpoint needs a key', 'mcp');
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (tenant) headers['pricebook-tenant'] = tenant;
    const remote = new Client({ name: 'pricebook-cli', version: '1.0.0' });
    try {
      await remote.connect(
        new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp`), { requestInit: { headers } }),
      );
    } catch (error) {
      throw new CliError(
        `the API's MCP endpoint did not answer at ${baseUrl}/api/mcp: ${error instanceof Error ? error.message : String(error)}`,
        exitCodes.unreachable,
      );
    }
    const server = new Server({ name: 'pricebook', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => remote.listTools(request.params));
    server.setRequestHandler(CallToolRequestSchema, (request) => remote.callTool(request.params));
    const ended = new Promise<void>((resolve) => {
      stdio.stdin.once('end', resolve);
      stdio.stdin.once('close', resolve);
    });
    await server.connect(new StdioServerTransport(stdio.stdin, stdio.stdout));
    ctx.io.err(`pricebook mcp: serving the tools of ${baseUrl}/api/mcp on stdio`);
    await ended;
    await server.close();
    await remote.close();
    return exitCodes.ok;
  },
};
