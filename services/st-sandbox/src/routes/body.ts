import type { Context } from 'hono';
import { validationError } from '../problem';

/** The JSON body, or a 400 as ASP.NET gives for malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) throw validationError({ request: ['The request field is required.'] });
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    throw validationError({ $: [`The JSON is invalid: ${reason}`] });
  }
}

/** Like `readJson`, but an empty body reads as `{}` (control API calls may send none). */
export async function readOptionalJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    throw validationError({ $: [`The JSON is invalid: ${reason}`] });
  }
}
