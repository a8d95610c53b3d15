import type { ChatMessage, ChatStreamEvent, Proposal } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { type AssistantTool, chatTools, logToolCall, runTool, type ToolContext } from './tools';

/** The model's endpoint, as `ASSISTANT_URL`, `ASSISTANT_MODEL` and `ASSISTANT_API_KEY` set it. */
export interface AssistantSettings {
  url: string;
  model: string;
  /** Sent as a bearer token; never logged, never shown to the model. */
  apiKey: string | undefined;
  /** Model answers one chat request may take: each round may call tools. */
  maxToolRounds: number;
  timeoutMs: number;
}

/** A tool result longer than this is cut: the model's context is not the place for a whole page. */
const maxToolResultChars = 40_000;

const systemPrompt = (tenantId: string) =>
  [
    `You help a contractor's pricebook team with their ServiceTitan pricebook (tenant ${tenantId}).`,
    'Answer from the tools: search, get_item, list_conflicts, status. Never guess ids, prices or counts.',
    'You cannot change the pricebook. To change records, call propose_changes with the new absolute values;',
    'it stores a proposal and returns its plan. Then show the person the plan (items, before and after, the',
    'number of price changes, the largest relative change) and its id: a person with the operator role confirms',
    'it, and the edits reach ServiceTitan with the next push. Round money to cents.',
  ].join(' ');

/** What the chat streams to the person, in order (the contract's `ChatStreamEvent`). */
export type ChatEvent = ChatStreamEvent;

const functionOf = (t: AssistantTool): ChatCompletionTool => ({
  type: 'function',
  function: {
    name: t.name,
    description: t.description,
    parameters: z.toJSONSchema(t.input, { io: 'input' }) as Record<string, unknown>,
  },
});

function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text);
}

/**
 * The model's endpoint as people know it: its model and host (never the path, a query string or
 * credentials in the URL, which some providers carry there).
 */
export function describeModel(settings: Pick<AssistantSettings, 'url' | 'model'>): string {
  let host = 'an unreadable URL';
  try {
    host = new URL(settings.url).host;
  } catch {
    // The environment's schema checks the URL; this only keeps a description from throwing.
  }
  return `the assistant model ${settings.model} at ${host}`;
}

/** Why the model gave no answer, for the person: its HTTP status if it answered one. */
function modelFailure(settings: AssistantSettings, err: unknown): string {
  const status = err instanceof OpenAI.APIError ? err.status : undefined;
  return status === undefined
    ? `${describeModel(settings)} did not answer`
    : `${describeModel(settings)} answered ${status}`;
}

/** What a failed tool call tells the model, so it can correct itself; never a stack. */
function failureOf(err: unknown): string {
  if (err instanceof z.ZodError) return `invalid arguments: ${z.prettifyError(err)}`;
  if (err instanceof SyntaxError) return 'invalid arguments: not JSON';
  if (err instanceof AppError && err.code !== 'internal') return err.message;
  return 'the tool failed';
}

/**
 * One chat turn: sends the conversation to the model with the read tools and `propose_changes`,
 * runs the tool calls it asks for (at most `maxToolRounds` rounds), and yields what to stream:
 * text as it comes, each tool call and its outcome, each proposal stored, then `done` (or
 * `error`). The client keeps the conversation; nothing of it is stored but proposals.
 *
 * @example
 * for await (const e of chatTurn(settings, ctx, [{ role: 'user', content: 'Which fittings have no cost?' }])) send(e);
 */
export async function* chatTurn(
  settings: AssistantSettings,
  ctx: ToolContext,
  conversation: readonly ChatMessage[],
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const client = new OpenAI({
    baseURL: settings.url,
    apiKey: settings.apiKey ?? 'none',
    timeout: settings.timeoutMs,
    maxRetries: 2,
  });
  const tools = chatTools.map(functionOf);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt(ctx.tenantId) },
    ...conversation.map((m) => ({ role: m.role, content: m.content })),
  ];
  const proposals: Proposal[] = [];
  ctx.onProposal = (p) => proposals.push(p);
  for (let round = 1; round <= settings.maxToolRounds; round++) {
    const deltas: string[] = [];
    let message: OpenAI.Chat.Completions.ChatCompletionMessage | undefined;
    try {
      const stream = client.chat.completions.stream(
        { model: settings.model, messages, tools, parallel_tool_calls: false },
        signal ? { signal } : {},
      );
      stream.on('content.delta', ({ delta }) => deltas.push(delta));
      for await (const _chunk of stream) {
        while (deltas.length > 0) yield { event: 'delta', data: { content: deltas.shift() ?? '' } };
      }
      const completion = await stream.finalChatCompletion();
      message = completion.choices[0]?.message;
    } catch (err) {
      // A provider's refusal may quote part of the key it got ("Incorrect API key provided: sk-…"):
      // its status and code are logged, never its message.
      const failure =
        err instanceof OpenAI.APIError
          ? { name: err.name, status: err.status, code: err.code }
          : { name: (err as Error).name, message: (err as Error).message };
      ctx.log.warn({ err: failure, model: settings.model }, 'assistant model failed');
      yield { event: 'error', data: { code: 'upstream_unavailable', detail: modelFailure(settings, err) } };
      return;
    }
    while (deltas.length > 0) yield { event: 'delta', data: { content: deltas.shift() ?? '' } };
    if (!message) {
      yield {
        event: 'error',
        data: { code: 'upstream_rejected', detail: `${describeModel(settings)} answered nothing` },
      };
      return;
    }
    const calls = (message.tool_calls ?? []).filter((c) => c.type === 'function');
    messages.push({
      role: 'assistant',
      content: message.content ?? null,
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
    });
    if (calls.length === 0) {
      yield { event: 'message', data: { content: message.content ?? '' } };
      yield { event: 'done', data: { rounds: round, proposals: proposals.map((p) => p.id) } };
      return;
    }
    for (const call of calls) {
      const { name } = call.function;
      const found = chatTools.find((t) => t.name === name);
      let args: unknown = call.function.arguments;
      let notJson: unknown;
      try {
        args = parseArguments(call.function.arguments);
      } catch (err) {
        notJson = err;
      }
      // Every call is shown, a malformed one with its arguments as the model wrote them.
      yield { event: 'tool_call', data: { id: call.id, name, arguments: args } };
      let content: string;
      try {
        if (!found) {
          logToolCall(ctx, name, call.function.arguments, 'unknown tool');
          throw new AppError(
            'not_found',
            `no tool ${name}; the tools are ${chatTools.map((t) => t.name).join(', ')}`,
          );
        }
        if (notJson !== undefined) {
          logToolCall(ctx, name, call.function.arguments, 'arguments not JSON');
          throw notJson;
        }
        const before = proposals.length;
        const result = await runTool(ctx, found, args);
        yield { event: 'tool_result', data: { id: call.id, name, ok: true } };
        for (const p of proposals.slice(before)) yield { event: 'proposal', data: p };
        content = JSON.stringify(result);
        if (content.length > maxToolResultChars) content = `${content.slice(0, maxToolResultChars)}…(cut)`;
      } catch (err) {
        const error = failureOf(err);
        if (!(err instanceof AppError) && !(err instanceof z.ZodError) && !(err instanceof SyntaxError)) {
          ctx.log.error({ err, tool: name }, 'assistant tool failed');
        }
        yield { event: 'tool_result', data: { id: call.id, name, ok: false, error } };
        content = JSON.stringify({ error });
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  yield {
    event: 'error',
    data: {
      code: 'unavailable',
      detail: `the assistant called tools for ${settings.maxToolRounds} rounds without answering; ask a narrower question`,
    },
  };
}
