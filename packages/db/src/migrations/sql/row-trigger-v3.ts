import type { FieldV1 } from './fields-v1';

/**
 * BEFORE INSERT OR UPDATE row trigger of one pricebook table (v3, frozen with the `changesets`
 * migration): v2 plus the origin `revert`, a change-set's before-values written back, which is a
 * local edit like `local` and `inbound` (it marks the row pending, so the next push sends it).
 * v2 added `push`, the engine's bookkeeping of its own write to ServiceTitan
 * (an engine write like `st`: it never marks the row pending). It keeps the typed
 * columns and `data` in step, bumps `version`/`updated_at`, and marks local edits pending.
 *
 * Column/data rule, per typed column:
 * - a column the write changed (on insert: set non-null) that disagrees with `data` wins and
 *   is written into `data`;
 * - otherwise, when `data` changed (always on insert) the column is recomputed from `data`
 *   (a missing key gives null);
 * - read-only columns (derived from a nested value) are always recomputed, and a write that sets
 *   one to a different value is refused.
 */

const sqlType: Record<FieldV1['kind'], string> = {
  text: 'text',
  boolean: 'boolean',
  integer: 'integer',
  bigint: 'bigint',
  money: 'numeric(14,4)',
  ids: 'bigint[]',
  idObjects: 'bigint[]',
};

function jsonPath(path: readonly string[]): string {
  return `'{${path.join(',')}}'`;
}

/** The column's value computed from a jsonb document `doc`. */
function fromData(field: FieldV1, doc: string): string {
  const value = `(${doc} #> ${jsonPath(field.path)})`;
  const text = `(${doc} #>> ${jsonPath(field.path)})`;
  switch (field.kind) {
    case 'text':
      return text;
    case 'ids':
      return `pricebook_ids_from_jsonb(${value})`;
    case 'idObjects':
      return `pricebook_ids_from_objects(${value})`;
    default:
      return `${text}::${sqlType[field.kind]}`;
  }
}

/** The column's value as jsonb, to be written into `data`. */
function toData(field: FieldV1): string {
  const col = `NEW.${field.column}`;
  switch (field.kind) {
    case 'money':
      // trim_scale keeps 12.5 as 12.5 rather than 12.5000, as ST sends it.
      return `coalesce(to_jsonb(trim_scale(${col})), 'null'::jsonb)`;
    case 'idObjects':
      return `pricebook_ids_to_objects(${col}, NEW.data #> ${jsonPath(field.path)})`;
    default:
      return `coalesce(to_jsonb(${col}), 'null'::jsonb)`;
  }
}

function insertRule(field: FieldV1): string {
  const col = `NEW.${field.column}`;
  const derived = fromData(field, 'NEW.data');
  if (field.readOnly) {
    return `    if ${col} is not null and ${col} is distinct from ${derived} then
      raise exception '${field.column} is derived from data.${field.path.join('.')}; write data instead' using errcode = '23514';
    end if;
    ${col} := ${derived};`;
  }
  return `    if ${col} is not null and ${col} is distinct from ${derived} then
      NEW.data := jsonb_set(NEW.data, ${jsonPath(field.path)}, ${toData(field)});
    else
      ${col} := ${derived};
    end if;`;
}

function updateRule(field: FieldV1): string {
  const col = `NEW.${field.column}`;
  const derived = fromData(field, 'NEW.data');
  if (field.readOnly) {
    return `    if ${col} is distinct from OLD.${field.column} and ${col} is distinct from ${derived} then
      raise exception '${field.column} is derived from data.${field.path.join('.')}; write data instead' using errcode = '23514';
    elsif v_data_changed then
      ${col} := ${derived};
    end if;`;
  }
  return `    if ${col} is distinct from OLD.${field.column} then
      if ${col} is distinct from ${derived} then
        NEW.data := jsonb_set(NEW.data, ${jsonPath(field.path)}, ${toData(field)});
      end if;
    elsif v_data_changed then
      ${col} := ${derived};
    end if;`;
}

export function rowTriggerFunctionNameV3(table: string): string {
  return `${table}_before_write`;
}

/** `create function` for one table's BEFORE row trigger. */
export function rowTriggerFunctionSqlV3(table: string, fields: readonly FieldV1[]): string {
  return `create or replace function ${rowTriggerFunctionNameV3(table)}() returns trigger language plpgsql as $fn$
declare
  v_origin text := coalesce(nullif(current_setting('pricebook.origin', true), ''), 'local');
  v_data_changed boolean;
begin
  if v_origin not in ('st', 'local', 'inbound', 'resolution', 'merge', 'push', 'revert') then
    raise exception 'pricebook.origin must be st, local, inbound, resolution, merge, push or revert, not %', v_origin
      using errcode = '22023';
  end if;
  if TG_OP = 'INSERT' then
${fields.map(insertRule).join('\n')}
    if v_origin in ('local', 'inbound', 'revert') then
      NEW.local_modified_at := now();
      NEW.sync_status := 'pending_sync';
    end if;
    return NEW;
  end if;

  if NEW.id is distinct from OLD.id or NEW.tenant_id is distinct from OLD.tenant_id then
    raise exception 'id and tenant_id of % rows cannot change', TG_TABLE_NAME using errcode = '23514';
  end if;
  v_data_changed := NEW.data is distinct from OLD.data;
${fields.map(updateRule).join('\n')}
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  -- Only content changes made by someone other than the engine are local edits; a row already
  -- in conflict stays there until the conflict is resolved.
  if v_origin in ('local', 'inbound', 'revert')
     and (NEW.data is distinct from OLD.data or NEW.deleted_at is distinct from OLD.deleted_at) then
    NEW.local_modified_at := now();
    NEW.sync_status := case when OLD.sync_status = 'conflict' then 'conflict' else 'pending_sync' end;
  end if;
  return NEW;
end
$fn$`;
}
