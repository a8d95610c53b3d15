import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

/**
 * Just enough of n8n to run the example workflows of `docs/integrations` in a test: their Code
 * nodes' own JavaScript, their IF conditions and their HTTP requests (sent to a `fetch` the test
 * gives: the API app, a recording chat receiver), following the workflow's connections.
 */

export interface N8nItem {
  json: Record<string, unknown>;
  binary?: Record<string, { data: string; mimeType: string }>;
}

export interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id?: string; name: string }>;
  webhookId?: string;
  onError?: string;
}

export interface N8nWorkflow {
  name: string;
  nodes: N8nNode[];
  connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

/** A workflow of `docs/integrations`, parsed. */
export function loadWorkflow(file: string): N8nWorkflow {
  return JSON.parse(readFileSync(docsFile(file), 'utf8')) as N8nWorkflow;
}

/** A file of `docs/integrations`. */
export const docsFile = (file: string) => new URL(`../../../../docs/integrations/${file}`, import.meta.url);

export function nodeNamed(workflow: N8nWorkflow, name: string): N8nNode {
  const node = workflow.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node named ${name}`);
  return node;
}

/** The names of the nodes a node's output `branch` leads to. */
export function nextNodes(workflow: N8nWorkflow, name: string, branch = 0): string[] {
  return (workflow.connections[name]?.main[branch] ?? []).map((c) => c.node);
}

/** n8n 2's default: a Code node or expression that reads `$env` is refused. */
export const blockedEnv: Record<string, string> = new Proxy(
  {},
  {
    get() {
      throw new Error('access to env vars denied');
    },
  },
);

export interface N8nRun {
  /** Each node's output, by branch, as the workflow ran. */
  outputs: Map<string, N8nItem[][]>;
  /** What the Respond to Webhook node answered, if one ran. */
  response?: { status: number; body: string | undefined };
}

export interface N8nContext {
  vars?: Record<string, string>;
  env?: Record<string, string>;
  /** Header Auth credentials by name: the header each one adds. */
  credentials?: Record<string, { name: string; value: string }>;
  fetch?: (
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ) => Promise<Response>;
}

/** The values a Code node or an expression sees. */
function scope(run: N8nRun, context: N8nContext, input: N8nItem[], item?: N8nItem) {
  const nodeAccess = (name: string) => {
    const output = run.outputs.get(name);
    if (!output) throw new Error(`node "${name}" has not run`);
    const all = (branch = 0) => output[branch] ?? [];
    return { all, first: () => all()[0] };
  };
  return {
    $input: { all: () => input, first: () => input[0] },
    $json: item?.json,
    $: nodeAccess,
    $vars: context.vars ?? {},
    $env: context.env ?? blockedEnv,
    Buffer,
    // n8n lets a Code node require only the built-ins NODE_FUNCTION_ALLOW_BUILTIN names.
    require: (name: string) => {
      if (name === 'crypto') return crypto;
      throw new Error(`Cannot find module '${name}' [not allowed]`);
    },
  };
}

/** Runs a Code node's JavaScript as n8n does ("Run Once for All Items"): an async function body. */
export async function runCode(
  jsCode: string,
  input: N8nItem[],
  context: N8nContext = {},
  run: N8nRun = { outputs: new Map() },
): Promise<N8nItem[]> {
  const sandbox = vm.createContext(scope(run, context, input));
  const body = vm.runInContext(`(async function () {\n${jsCode}\n})`, sandbox) as (
    this: unknown,
  ) => Promise<unknown>;
  const helpers = {
    getBinaryDataBuffer: async (index: number, property: string) => {
      const binary = input[index]?.binary?.[property];
      if (!binary) throw new Error(`item ${index} has no binary property ${property}`);
      return Buffer.from(binary.data, 'base64');
    },
  };
  // The items come from another realm: make them plain data of this one.
  return JSON.parse(JSON.stringify(await body.call({ helpers }))) as N8nItem[];
}

/**
 * A parameter as n8n reads it: text, or an expression (`=` then text with `{{ … }}`); an
 * expression that is one `{{ … }}` keeps its value's type.
 */
export function evaluate(value: unknown, run: N8nRun, context: N8nContext, item: N8nItem): unknown {
  if (typeof value !== 'string' || !value.startsWith('=')) return value;
  const sandbox = vm.createContext(scope(run, context, [item], item));
  const template = value.slice(1);
  const expr = (code: string) => vm.runInContext(code, sandbox) as unknown;
  const whole = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
  if (whole?.[1] !== undefined && !whole[1].includes('{{')) return expr(whole[1]);
  return template.replace(/\{\{([\s\S]*?)\}\}/g, (_m, code: string) => String(expr(code)));
}

type Condition = {
  leftValue: string;
  rightValue: unknown;
  operator: { type: string; operation: string };
};

function passes(node: N8nNode, run: N8nRun, context: N8nContext, item: N8nItem): boolean {
  const { conditions } = node.parameters.conditions as { conditions: Condition[]; combinator: string };
  return conditions.every((c) => {
    const left = evaluate(c.leftValue, run, context, item);
    const key = `${c.operator.type}:${c.operator.operation}`;
    if (key === 'boolean:true') return left === true;
    if (key === 'string:equals') return left === c.rightValue;
    throw new Error(`the test's n8n does not know the condition ${key}`);
  });
}

type Pairs = { parameters?: Array<{ name: string; value: string }> };

async function httpRequest(node: N8nNode, run: N8nRun, context: N8nContext, input: N8nItem[]) {
  const p = node.parameters;
  const fetch = context.fetch;
  if (!fetch) throw new Error('the test gave no fetch for HTTP Request nodes');
  const out: N8nItem[] = [];
  for (const item of input) {
    const at = (v: unknown) => evaluate(v, run, context, item);
    const url = new URL(String(at(p.url)));
    for (const q of (p.queryParameters as Pairs | undefined)?.parameters ?? []) {
      if (p.sendQuery) url.searchParams.set(q.name, String(at(q.value)));
    }
    const headers: Record<string, string> = {};
    for (const h of (p.headerParameters as Pairs | undefined)?.parameters ?? []) {
      if (p.sendHeaders) headers[h.name] = String(at(h.value));
    }
    const credential = node.credentials?.httpHeaderAuth?.name;
    if (p.authentication === 'genericCredentialType' && p.genericAuthType === 'httpHeaderAuth') {
      const header = credential === undefined ? undefined : context.credentials?.[credential];
      if (!header) throw new Error(`no Header Auth credential named ${credential}`);
      headers[header.name] = header.value;
    }
    let body: string | undefined;
    if (p.sendBody && p.specifyBody === 'json') {
      body = String(at(p.jsonBody));
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(url.toString(), { method: String(p.method ?? 'GET'), headers, body });
    const text = await res.text();
    const parsed: unknown = (res.headers.get('content-type') ?? '').includes('json')
      ? JSON.parse(text)
      : text;
    const options = p.options as {
      response?: { response?: { fullResponse?: boolean; neverError?: boolean } };
    };
    const { fullResponse, neverError } = options.response?.response ?? {};
    if (res.status >= 400 && !neverError) throw new Error(`${node.name}: HTTP ${res.status} ${text}`);
    const json = fullResponse
      ? { statusCode: res.status, headers: Object.fromEntries(res.headers), body: parsed }
      : (parsed as Record<string, unknown>);
    out.push({ json: typeof json === 'object' && json !== null ? json : { data: json } });
  }
  return out;
}

/**
 * Runs a workflow from one node with the items it receives, then every node its outputs lead to
 * (depth first, as n8n's v1 execution order does); a node without items is not run.
 */
export async function runWorkflow(
  workflow: N8nWorkflow,
  start: string,
  items: N8nItem[],
  context: N8nContext = {},
  /** The outputs of nodes before `start` that the workflow's expressions read. */
  upstream: Record<string, N8nItem[]> = {},
): Promise<N8nRun> {
  const run: N8nRun = { outputs: new Map(Object.entries(upstream).map(([name, out]) => [name, [out]])) };
  const visit = async (name: string, input: N8nItem[]): Promise<void> => {
    if (input.length === 0) return;
    const node = nodeNamed(workflow, name);
    let branches: N8nItem[][];
    switch (node.type) {
      case 'n8n-nodes-base.code':
        branches = [await runCode(String(node.parameters.jsCode), input, context, run)];
        break;
      case 'n8n-nodes-base.if': {
        const verdicts = input.map((i) => passes(node, run, context, i));
        branches = [input.filter((_i, n) => verdicts[n]), input.filter((_i, n) => !verdicts[n])];
        break;
      }
      case 'n8n-nodes-base.httpRequest':
        branches = [await httpRequest(node, run, context, input)];
        break;
      case 'n8n-nodes-base.respondToWebhook': {
        if (run.response) throw new Error('the workflow answered the webhook twice');
        const options = node.parameters.options as { responseCode?: number };
        const body =
          node.parameters.respondWith === 'noData' ? undefined : String(node.parameters.responseBody);
        run.response = { status: options.responseCode ?? 200, body };
        branches = [input];
        break;
      }
      default:
        throw new Error(`the test's n8n does not run ${node.type}`);
    }
    run.outputs.set(name, branches);
    for (const [branch, out] of branches.entries()) {
      for (const next of nextNodes(workflow, name, branch)) await visit(next, out);
    }
  };
  await visit(start, items);
  return run;
}
