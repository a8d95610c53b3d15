import { defineEntity, type InferEntity } from '@mikro-orm/core';

const p = defineEntity.properties;

/**
 * ServiceTitan's request budget of one (application key, tenant), shared by every process and
 * replica that calls ST (see `pgRateBudgetStore`). `slots` holds when each granted slot frees up;
 * at most the limit are live at once. Only the `pricebook_st_rate_reserve` function writes
 * grants, on the database's clock.
 */
export const StRateBudget = defineEntity({
  name: 'StRateBudget',
  tableName: 'pricebook_st_rate_budget',
  properties: {
    /** `st:<sha-256 prefix of the app key>:<tenant>`; never the app key itself. */
    budgetKey: p.text().primary(),
    slots: p.array<string>().columnType('timestamptz[]').defaultRaw(`'{}'`),
    /** No slot is granted before this (ServiceTitan answered 429). */
    pausedUntil: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type StRateBudget = InferEntity<typeof StRateBudget>;
