import { jetstream } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { deploymentNames, SchedulerEnabledValue, schedulerState } from '@pricebook/contracts';

/** The tenant's start/stop switch in NATS KV, shared by every scheduler and API replica. */
export interface SchedulerStateStore {
  /** The stored value; `undefined` when nobody has written it yet (or it is unreadable). */
  read(): Promise<SchedulerEnabledValue | undefined>;
  /** Whether the timed syncs run: the stored value, else `fallback` (the env's initial value). */
  isEnabled(fallback: boolean): Promise<boolean>;
  /** Writes the switch (last writer wins; both writers want the same outcome). */
  setEnabled(enabled: boolean, updatedBy?: string): Promise<SchedulerEnabledValue>;
  /** Writes the initial value only if there is none yet, so a restart never undoes a stop. */
  initialize(enabled: boolean): Promise<SchedulerEnabledValue>;
  /** Calls `onChange` with every later value (and the current one first) until `stop()`. */
  watch(onChange: (value: SchedulerEnabledValue) => void): Promise<{ stop(): void; done: Promise<void> }>;
}

const decode = (bytes: Uint8Array): SchedulerEnabledValue | undefined => {
  try {
    const parsed = SchedulerEnabledValue.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const encode = (value: SchedulerEnabledValue) => JSON.stringify(value);

/** The `inboxPrefix` the connection was opened with (nats.js keeps its options on the connection). */
function inboxPrefixOf(nc: NatsConnection): string | undefined {
  const options: unknown = Reflect.get(nc, 'options');
  if (typeof options !== 'object' || options === null) return undefined;
  const prefix: unknown = Reflect.get(options, 'inboxPrefix');
  return typeof prefix === 'string' && prefix !== '' ? prefix : undefined;
}

/**
 * Creates the bucket, or opens it when a replica starting at the same instant created it first
 * (the server then refuses the second create as overlapping the first one's subjects).
 */
async function openOrCreateBucket(kvm: Kvm): Promise<KV> {
  const bucket = deploymentNames().bucket(schedulerState.bucket);
  try {
    return await kvm.create(bucket, { history: 10 });
  } catch (createError) {
    try {
      return await kvm.open(bucket);
    } catch {
      throw createError;
    }
  }
}

/**
 * Opens (creating if needed) the `pricebook_scheduler` bucket and binds it to one tenant.
 * Keeps a short history so an operator can see who stopped the schedules and when.
 *
 * @example
 * const state = await openSchedulerState(nc, '1001');
 * await state.initialize(env.SYNC_SCHEDULER_ENABLED);
 * await state.setEnabled(false, 'api:ops');
 */
export async function openSchedulerState(nc: NatsConnection, tenant: string): Promise<SchedulerStateStore> {
  // A watch is delivered to an inbox: the connection's own prefix, the only one a NATS user of
  // the shipped config may subscribe to. With the bucket provisioned, this only opens it.
  const js = jetstream(nc, { watcherPrefix: inboxPrefixOf(nc) });
  const kv = await openOrCreateBucket(new Kvm(js));
  const key = schedulerState.enabledKey(tenant);

  const read = async () => {
    const entry = await kv.get(key);
    if (entry?.operation !== 'PUT') return undefined;
    return decode(entry.value);
  };

  return {
    read,
    isEnabled: async (fallback) => (await read())?.enabled ?? fallback,
    async setEnabled(enabled, updatedBy) {
      const value: SchedulerEnabledValue = {
        enabled,
        updatedAt: new Date().toISOString(),
        ...(updatedBy === undefined ? {} : { updatedBy }),
      };
      await kv.put(key, encode(value));
      return value;
    },
    async initialize(enabled) {
      const value: SchedulerEnabledValue = { enabled, updatedAt: new Date().toISOString(), updatedBy: 'env' };
      try {
        await kv.create(key, encode(value));
        return value;
      } catch (err) {
        // Another replica (or an earlier run) wrote it first: its value stands.
        const current = await read();
        if (current) return current;
        throw err;
      }
    },
    async watch(onChange) {
      const iterator = await kv.watch({ key });
      const done = (async () => {
        for await (const entry of iterator) {
          if (entry.operation !== 'PUT') continue;
          const value = decode(entry.value);
          if (value) onChange(value);
        }
      })();
      return { stop: () => iterator.stop(), done };
    },
  };
}
