import type { FieldV1 } from './fields-v1';
import { rowTriggerFunctionSqlV2 } from './row-trigger-v2';

/**
 * BEFORE row trigger of one pricebook table (v3, frozen with the `search` migration): v2 plus the
 * origin `embedding`, the embedder's write of a row's vector. Such a write may change only
 * `embedding` and `embedding_hash`: the row keeps every other column as it was, including
 * `version` and `updated_at`, so a vector never looks like an edit, never bumps the version a
 * reader's conditional update relies on, and writes no audit row or event (the capture trigger
 * sees `data` unchanged).
 */

const originCheckV2 = `  if v_origin not in ('st', 'local', 'inbound', 'resolution', 'merge', 'push') then
    raise exception 'pricebook.origin must be st, local, inbound, resolution, merge or push, not %', v_origin
      using errcode = '22023';
  end if;`;

const originCheckV3 = `  if v_origin not in ('st', 'local', 'inbound', 'resolution', 'merge', 'push', 'embedding') then
    raise exception 'pricebook.origin must be st, local, inbound, resolution, merge, push or embedding, not %', v_origin
      using errcode = '22023';
  end if;
  if v_origin = 'embedding' then
    if TG_OP <> 'UPDATE' then
      raise exception 'the embedding origin only updates the embedding of existing rows' using errcode = '22023';
    end if;
    v_row := OLD;
    v_row.embedding := NEW.embedding;
    v_row.embedding_hash := NEW.embedding_hash;
    return v_row;
  end if;`;

/** `create function` for one table's BEFORE row trigger (v3). */
export function rowTriggerFunctionSqlV3(table: string, fields: readonly FieldV1[]): string {
  const v2 = rowTriggerFunctionSqlV2(table, fields);
  if (!v2.includes(originCheckV2) || !v2.includes('  v_data_changed boolean;\n')) {
    throw new Error('row trigger v2 changed: v3 is written against its frozen text');
  }
  return v2
    .replace('  v_data_changed boolean;\n', `  v_data_changed boolean;\n  v_row ${table}%rowtype;\n`)
    .replace(originCheckV2, originCheckV3);
}
