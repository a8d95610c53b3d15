import { setTimeout as wait } from 'node:timers/promises';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  createMessage,
  type EntityType,
  type Message,
  messageIds,
  type StRecord,
  stContentHash,
} from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { publishAll } from '@pricebook/messaging';
import type { StClient } from '@pricebook/st-client';
import { type StClients, tenantRefusal } from '../../shared/tenant-st';
import { countAccounted, listUnseen, type UnseenScope } from './unseen';

/** What the fence needs from ServiceTitan: reads by id (`active=Any`). */
export type StLookup = Pick<StClient, 'listByIds'>;

// Stands in for a missing `modifiedOn`, as the fetcher's does: it sorts before every real one.
const UNKNOWN_MODIFIED_ON = '1970-01-01T00:00:00.0000000Z';

export interface ConfirmInput extends UnseenScope {
  orm: Orm;
  js: JetStreamClient;
  /** Each tenant's client; absent when the applier reaches no ServiceTitan: nothing is confirmed then. */
  st: StClients<StLookup> | undefined;
  /** The fence message id: the cause of the records observed again. */
  causationId: string;
  log: Logger;
  stopping: AbortSignal;
  /** How long to wait in hand for the decisions of the records observed again. */
  waitMs: number;
  pollMs: number;
}

/** The evidence for one entity's sweep. */
export type Confirmation =
  | {
      failed?: undefined;
      /** ST ids that ServiceTitan answered "not found" for: the only rows the sweep may delete. */
      gone: ReadonlySet<string>;
      /** Rows the listing missed but ServiceTitan still has: observed again in this sync. */
      reobserved: number;
      /** Rows ServiceTitan still has in a shape our schema refuses: neither deleted nor applied. */
      invalid: number;
    }
  | { failed: { code: string; message: string } };

/**
 * The `record.observed` of a record read by id, exactly as the fetcher would have published it
 * from the listing (same message id), so the comparator decides on it like on any other.
 */
function observedAgain(input: ConfirmInput, record: StRecord): Message<'record.observed'> {
  const { syncLogId, entity } = input;
  const modifiedOn = record.modifiedOn ?? UNKNOWN_MODIFIED_ON;
  return createMessage('record.observed', {
    id: messageIds.observed({ syncLogId, entity, stId: record.id, modifiedOn }),
    tenant: input.tenantId,
    correlationId: syncLogId,
    causationId: input.causationId,
    data: { syncLogId, entity, stId: record.id, modifiedOn, record, hash: stContentHash(entity, record) },
  });
}

function unconfirmed(entity: EntityType, count: number, why: string): Confirmation {
  return {
    failed: {
      code: 'deletions_unconfirmed',
      message: `${count} ${entity} were missing from ServiceTitan's listing, but ${why}; nothing was deleted`,
    },
  };
}

/** Waits until the ledger holds every key, the wait runs out, or the process is stopping. */
async function awaitAccounted(input: ConfirmInput, keys: readonly string[]): Promise<boolean> {
  const em = input.orm.em.fork();
  const deadline = Date.now() + input.waitMs;
  for (;;) {
    if ((await countAccounted(em, input, keys)) >= keys.length) return true;
    if (input.stopping.aborted || Date.now() >= deadline) return false;
    // Stopping ends the wait early (the abort rejects it): the loop then returns at once.
    await wait(input.pollMs, undefined, { signal: input.stopping }).catch(() => undefined);
  }
}

/**
 * Design invariant 9: a full sync believes a deletion only from evidence. The live rows the
 * listing did not show are read from ServiceTitan by id (`active=Any`); only the ids it does
 * not return are gone. The ones it still has (an offset-paged listing misses rows that slide
 * between pages while it runs) are published as observed records of this sync, and the fence
 * waits until their decisions are applied, so the local copy matches ServiceTitan afterwards.
 * When ServiceTitan cannot be read (after the client's retries) or the applier has no
 * credentials, the answer is `failed`: the sync fails with that reason and deletes nothing.
 * Runs outside any transaction: it waits on ServiceTitan and on the decided batches.
 *
 * @example
 * const evidence = await confirmDeletions({ orm, js, st, tenantId, syncLogId, entity, … });
 * if (!evidence.failed) await sweep({ …, gone: evidence.gone });
 */
export async function confirmDeletions(input: ConfirmInput): Promise<Confirmation> {
  const { entity, log } = input;
  const unseen = await listUnseen(input.orm.em.fork(), input);
  if (unseen.length === 0) return { gone: new Set(), reobserved: 0, invalid: 0 };
  if (!input.st)
    return unconfirmed(
      entity,
      unseen.length,
      'this applier has no ServiceTitan credentials to confirm it by id',
    );
  let st: StLookup;
  try {
    st = (await input.st.forTenant(input.tenantId)).st;
  } catch (error) {
    const refusal = tenantRefusal(error);
    if (!refusal) throw error;
    return unconfirmed(
      entity,
      unseen.length,
      `ServiceTitan cannot be read as tenant ${input.tenantId} to confirm it by id (${refusal.message})`,
    );
  }
  let found: Awaited<ReturnType<StLookup['listByIds']>>;
  try {
    found = await st.listByIds(entity, unseen.map(Number), { signal: input.stopping });
  } catch (error) {
    if (input.stopping.aborted || !(error instanceof AppError)) throw error;
    return unconfirmed(
      entity,
      unseen.length,
      `ServiceTitan could not be read to confirm it by id (${error.code}: ${error.message})`,
    );
  }
  const gone = new Set(found.missing.map(String));
  const present = found.records as StRecord[];
  await publishAll(
    input.js,
    present.map((record) => observedAgain(input, record)),
  );
  log.info(
    {
      syncId: input.syncLogId,
      entity,
      unlisted: unseen.length,
      gone: gone.size,
      reobserved: present.length,
      invalid: found.invalid.length,
    },
    'unlisted rows checked by id',
  );
  if (
    !(await awaitAccounted(
      input,
      present.map((r) => String(r.id)),
    ))
  ) {
    throw new AppError(
      'unavailable',
      `waiting for ${present.length} ${entity} observed again to be applied`,
      {
        details: { syncId: input.syncLogId, entity },
      },
    );
  }
  return { gone, reobserved: present.length, invalid: found.invalid.length };
}
