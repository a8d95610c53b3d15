import type { FieldV1 } from './fields-v1';
import { rowTriggerFunctionSqlV3 } from './row-trigger-v3';

/**
 * BEFORE row trigger of one pricebook table (v4, frozen with the `search` migration): v3 plus the
 * origin `embedding`, the embedder's write of a row's vector. Such a write may change only
 * `embedding` and `embedding_hash`: the row keeps every other column as it was, including
 * `version` and `updated_at`, so a vector never looks like an edit, never bumps the version a
 * reader's conditional update relies on, and writes no audit row or event (the capture trigger
 * sees `data` unchanged).
 */

const originCheckV3 = `  if v_origin not in ('st', 'local', 'inbound', 'resolution', 'merge', 'push', 'revert') then
    raise exception 'pricebook.origin must be st, local, inbound, resolution, merge, push or revert, not %', v_origin
      using errcode = '22023';
  end if;`;

const originCheckV4 = `  if v_origin not in ('st', 'local', 'inbound', 'resolution', 'merge', 'push', 'revert', 'embedding') then
    raise exception 'pricebook.origin must be st, local, inbound, resolution, merge, push, revert or embedding, not %', v_origin
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

/** `create function` for one table's BEFORE row trigger (v4). */
export function rowTriggerFunctionSqlV4(table: string, fields: readonly FieldV1[]): string {
  const v3 = rowTriggerFunctionSqlV3(table, fields);
  if (!v3.includes(originCheckV3) || !v3.includes('  v_data_changed boolean;\n')) {
    throw new Error('row trigger v3 changed: v4 is written against its frozen text');
  }
  return v3
    .replace('  v_data_changed boolean;\n', `  v_data_changed boolean;\n  v_row ${table}%rowtype;\n`)
    .replace(originCheckV3, originCheckV4);
}
