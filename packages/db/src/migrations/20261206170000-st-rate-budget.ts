import { Migration } from '@mikro-orm/migrations';

/**
 * ServiceTitan's request budget, shared by every process and replica: one row per (application
 * key, tenant) and the function that grants slots from it. Granting is one statement on the
 * database's clock under the row's lock, so two callers can never take the same last slot and
 * no process's clock matters.
 */
export class Migration20261206170000_st_rate_budget extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_st_rate_budget" ("budget_key" text not null, "slots" timestamptz[] not null default '{}', "paused_until" timestamptz null, "updated_at" timestamptz not null default now(), constraint "pricebook_st_rate_budget_pkey" primary key ("budget_key"));`,
    );
    this.addSql(reserveFunctionSql);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists pricebook_st_rate_reserve(text, integer, integer, integer);');
    this.addSql(`drop table if exists "pricebook_st_rate_budget" cascade;`);
  }
}

// Slots are held until `slots[i]`; expired ones are dropped on every grant, so the array never
// holds more than the limit. A paused budget grants nothing until `paused_until`.
const reserveFunctionSql = `
create or replace function pricebook_st_rate_reserve(p_key text, p_want integer, p_limit integer, p_hold_ms integer)
returns table (granted integer, retry_in_ms integer)
language plpgsql as $fn$
declare
  t timestamptz;
  budget pricebook_st_rate_budget%rowtype;
  live timestamptz[];
  n_free integer;
begin
  select * into budget from pricebook_st_rate_budget where budget_key = p_key for update;
  if not found then
    insert into pricebook_st_rate_budget (budget_key) values (p_key) on conflict (budget_key) do nothing;
    select * into budget from pricebook_st_rate_budget where budget_key = p_key for update;
  end if;
  -- The clock is read only once the row is locked, so each grant is later than the one before.
  t := clock_timestamp();
  if budget.paused_until > t then
    granted := 0;
    retry_in_ms := ceil(extract(epoch from budget.paused_until - t) * 1000)::integer;
    return next;
    return;
  end if;
  live := array(select s from unnest(budget.slots) as s where s > t order by s);
  n_free := p_limit - cardinality(live);
  if n_free <= 0 then
    granted := 0;
    retry_in_ms := ceil(extract(epoch from live[1 - n_free] - t) * 1000)::integer;
    return next;
    return;
  end if;
  granted := least(p_want, n_free);
  update pricebook_st_rate_budget
     set slots = live || array_fill(t + make_interval(secs => p_hold_ms / 1000.0), array[granted]),
         updated_at = t
   where budget_key = p_key;
  retry_in_ms := 0;
  return next;
end
$fn$;`;
