import { unwrap } from '@pricebook/client';
import { EntityType, SearchMode } from '@pricebook/contracts';
import { type Command, oneOf, text } from '../command';
import { exitCodes, usageError } from '../errors';
import { json, table } from '../format';

const help = `Search the pricebook by words or by meaning, and find likely duplicates.

Usage:
  pricebook search <words...> [--entity <entity>] [--mode text|semantic|hybrid] [--limit <n>] [--json]
  pricebook search --similar <entity>/<id> [--limit <n>] [--max-distance <d>] [--json]

Options:
  --entity <e>        only categories, materials, services or equipment (default: all)
  --mode <m>          text (full-text words), semantic (by meaning) or hybrid (both; the default)
  --limit <n>         how many results (search: up to 100, default 20; similar: up to 50, default 10)
  --similar <e>/<id>  the records nearest to this one (id: the local uuid or st:<stId>)
  --max-distance <d>  with --similar: only records at most this cosine distance away (0 to 2)

Without an embeddings provider the API answers semantic and hybrid searches from full text and
says so (docs/search.md).

Examples:
  pricebook search copper elbow 1/2
  pricebook search "gas water heater without a tank" --mode semantic --entity materials
  pricebook search --similar materials/st:48213 --max-distance 0.15`;

const recordName = (record: Record<string, unknown>) =>
  String(record.displayName ?? record.name ?? record.code ?? '');

/** `pricebook search`: `GET /api/pricebook/search` and `GET /api/pricebook/{entity}/{id}/similar`. */
export const searchCommand: Command = {
  name: 'search',
  summary: 'search the pricebook, or list likely duplicates of a record',
  help,
  options: {
    entity: { type: 'string' },
    mode: { type: 'string' },
    limit: { type: 'string' },
    similar: { type: 'string' },
    'max-distance': { type: 'string' },
  },
  async run(ctx) {
    const limitText = text(ctx.values, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw usageError('--limit must be a whole number from 1', 'search');
    const similar = text(ctx.values, 'similar');
    if (similar !== undefined) {
      if (ctx.positionals.length > 0) throw usageError('--similar takes no search words', 'search');
      const [entityText, id] = similar.split('/', 2);
      const entity = oneOf('search', '--similar', entityText, EntityType.options);
      if (!entity || !id)
        throw usageError('--similar needs <entity>/<id>, e.g. materials/st:48213', 'search');
      const maxText = text(ctx.values, 'max-distance');
      const body = unwrap(
        await ctx.api.GET('/api/pricebook/{entity}/{id}/similar', {
          params: {
            path: { entity, id },
            query: {
              ...(limit !== undefined ? { limit } : {}),
              ...(maxText !== undefined ? { maxDistance: Number(maxText) } : {}),
            },
          },
        }),
      );
      if (ctx.json) ctx.io.out(json(body));
      else if (body.items.length === 0) ctx.io.out(body.note ?? 'no similar records');
      else
        ctx.io.out(
          table(
            ['DISTANCE', 'ST ID', 'ID', 'NAME'],
            body.items.map((h) => [
              h.distance.toFixed(4),
              String(h.item.stId ?? ''),
              h.item.id,
              recordName(h.item.record),
            ]),
          ),
        );
      return exitCodes.ok;
    }
    const q = ctx.positionals.join(' ').trim();
    if (q === '') throw usageError('search needs words to look for (or --similar)', 'search');
    const entity = oneOf('search', '--entity', text(ctx.values, 'entity'), EntityType.options);
    const mode = oneOf('search', '--mode', text(ctx.values, 'mode'), SearchMode.options);
    const body = unwrap(
      await ctx.api.GET('/api/pricebook/search', {
        params: {
          query: {
            q,
            ...(entity ? { entity } : {}),
            ...(mode ? { mode } : {}),
            ...(limit !== undefined ? { limit } : {}),
          },
        },
      }),
    );
    if (ctx.json) {
      ctx.io.out(json(body));
      return exitCodes.ok;
    }
    if (body.note) ctx.io.err(body.note);
    if (body.items.length === 0) ctx.io.out('no matches');
    else
      ctx.io.out(
        table(
          ['SCORE', 'ENTITY', 'ST ID', 'ID', 'NAME'],
          body.items.map((h) => [
            h.score.toFixed(4),
            h.entity,
            String(h.item.stId ?? ''),
            h.item.id,
            recordName(h.item.record),
          ]),
        ),
      );
    return exitCodes.ok;
  },
};
