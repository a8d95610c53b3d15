import { z } from 'zod';
import { EntityType } from './entities';

/** The ServiceTitan fields a technician's tablet shows as prices; the push brake watches them. */
export const priceFields = ['price', 'memberPrice', 'addOnPrice', 'addOnMemberPrice'] as const;

/** How far the prices a push would send move, by relative change from the agreed price. */
export const PriceChangeDistribution = z.object({
  upTo1Pct: z.number().int(),
  upTo5Pct: z.number().int(),
  upTo10Pct: z.number().int(),
  upTo25Pct: z.number().int(),
  upTo50Pct: z.number().int(),
  /** Includes prices wiped to zero and prices set where there was none. */
  over50Pct: z.number().int(),
});
export type PriceChangeDistribution = z.infer<typeof PriceChangeDistribution>;

/** What one entity's push would change in ServiceTitan, measured before anything is sent. */
export const EntityPushImpact = z.object({
  entity: EntityType,
  /** Items of this entity ServiceTitan has now (local rows with an ST id, deletes not yet pushed included). */
  liveItems: z.number().int(),
  /** Items whose price fields the push would change. */
  priceChanges: z.number().int(),
  priceChangeShare: z.number(),
  /** The largest factor a price moves by (2 = doubled or halved); null when one is wiped to zero. */
  largestPriceFactor: z.number().nullable(),
  distribution: PriceChangeDistribution,
  /** Items the push would delete (or deactivate) in ServiceTitan. */
  deletions: z.number().int(),
  deleteShare: z.number(),
});
export type EntityPushImpact = z.infer<typeof EntityPushImpact>;

/** The limits a push may not cross without `allowMassChange`. */
export const PushLimits = z.object({
  maxPriceChanges: z.number().int(),
  maxPriceChangeShare: z.number(),
  maxPriceFactor: z.number(),
  maxDeleteShare: z.number(),
});
export type PushLimits = z.infer<typeof PushLimits>;

/**
 * The push brake's measure of a push, stored on the sync log and shown by `GET
 * /api/sync/pricebook/logs/:id` (dry runs too): per entity, and which limits it crosses.
 */
export const PushImpact = z.object({
  entities: z.array(EntityPushImpact),
  limits: PushLimits,
  /** One line per limit crossed; empty when none is. */
  exceeded: z.array(z.string()),
  /** Whether the request said `allowMassChange`. */
  allowMassChange: z.boolean(),
});
export type PushImpact = z.infer<typeof PushImpact>;

/** The push brake's limits unless the environment says otherwise. */
export const defaultPushLimits: PushLimits = {
  maxPriceChanges: 500,
  maxPriceChangeShare: 0.25,
  maxPriceFactor: 5,
  maxDeleteShare: 0.1,
};

/** Limits no push crosses: for benchmarks and tests that are not about the brake. */
export const noPushBrake: PushLimits = {
  maxPriceChanges: Number.MAX_SAFE_INTEGER,
  maxPriceChangeShare: 1,
  maxPriceFactor: Number.MAX_SAFE_INTEGER,
  maxDeleteShare: 1,
};

/**
 * Shares and counts are judged only from this many items up: on a tiny pricebook one edit is
 * already a large share.
 */
export const pushBrakeMinItems = 10;

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

/**
 * The limits a push crosses, one readable line each.
 *
 * @example
 * exceededLimits([impact], { maxPriceChanges: 500, maxPriceChangeShare: 0.25, maxPriceFactor: 2, maxDeleteShare: 0.1 });
 * // ['materials: a price moves by more than ×2 (largest ×10)']
 */
export function exceededLimits(entities: readonly EntityPushImpact[], limits: PushLimits): string[] {
  const out: string[] = [];
  for (const e of entities) {
    const counted = e.priceChanges >= pushBrakeMinItems;
    if (
      e.priceChanges > limits.maxPriceChanges ||
      (counted && e.priceChangeShare > limits.maxPriceChangeShare)
    ) {
      out.push(
        `${e.entity}: ${e.priceChanges} price changes (${pct(e.priceChangeShare)} of ${e.liveItems}) exceed ${limits.maxPriceChanges} or ${pct(limits.maxPriceChangeShare)}`,
      );
    }
    if (
      e.priceChanges > 0 &&
      (e.largestPriceFactor === null || e.largestPriceFactor > limits.maxPriceFactor)
    ) {
      const largest = e.largestPriceFactor === null ? 'a price wiped to zero' : `×${e.largestPriceFactor}`;
      out.push(`${e.entity}: a price moves by more than ×${limits.maxPriceFactor} (largest ${largest})`);
    }
    if (e.deletions >= pushBrakeMinItems && e.deleteShare > limits.maxDeleteShare) {
      out.push(
        `${e.entity}: ${e.deletions} deletions (${pct(e.deleteShare)} of ${e.liveItems}) exceed ${pct(limits.maxDeleteShare)}`,
      );
    }
  }
  return out;
}
