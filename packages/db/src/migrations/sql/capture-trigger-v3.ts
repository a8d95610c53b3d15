/**
 * AFTER statement trigger functions (v3, frozen with the `events-from-audit` migration): v2, except
 * that the outbox row no longer carries the event's content. The trigger still captures before and
 * after into the audit row; the outbox row points at that audit row (`change_id`) and keeps only
 * what routes and locates the event (subject, type, correlation, and the record's identity, so the
 * outbox can be searched per record). The relay builds the `record.*` payload from the audit row
 * in TypeScript, so a new event field needs no migration. The trigger wiring of v1 is unchanged.
 */

// The writer's identity comes from transaction-local settings; no setting means a local edit.
const contextDeclarations = `  v_entity text := TG_ARGV[0];
  v_origin text := coalesce(nullif(current_setting('pricebook.origin', true), ''), 'local');
  v_sync_log_id uuid := nullif(current_setting('pricebook.sync_log_id', true), '')::uuid;
  v_actor text := nullif(current_setting('pricebook.actor', true), '');`;

// The subject and type name the event, so they stay here with the row that routes it; a restore is
// an update to subscribers, while the audit row keeps the finer `restore`.
const eventName = `(case a.operation when 'create' then 'created' when 'delete' then 'deleted' else 'updated' end)`;

/** Writes both rows from a CTE `c(id, tenant_id, st_id, operation, before, after, changed_fields)`. */
function writeFrom(changedRows: string): string {
  return `  with c as (
${changedRows}
  ), audit as (
    insert into pricebook_changes
      (tenant_id, entity_type, record_id, st_id, operation, origin, before, after, changed_fields, sync_log_id, actor)
    select c.tenant_id, v_entity, c.id, c.st_id, c.operation, v_origin, c.before, c.after, c.changed_fields,
      v_sync_log_id, v_actor
    from c
    returning id, seq, tenant_id, record_id, st_id, operation
  )
  insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id, change_id)
  select a.tenant_id,
    'pricebook.events.' || a.tenant_id || '.' || v_entity || '.' || ${eventName} || '.v1',
    'record.' || ${eventName},
    jsonb_build_object('entity', v_entity, 'recordId', a.record_id, 'stId', a.st_id),
    v_sync_log_id,
    a.id
  from audit a
  order by a.seq;`;
}

function captureFunction(name: string, changedRows: string): string {
  return `create or replace function ${name}() returns trigger language plpgsql as $fn$
declare
${contextDeclarations}
begin
  if v_origin = 'push' then
    return null;
  end if;
${writeFrom(changedRows)}
  return null;
end
$fn$`;
}

const sortedKeys = (doc: string) => `array(select k from jsonb_object_keys(${doc}) as k order by k)`;

export const captureFunctionsV3 = [
  captureFunction(
    'pricebook_capture_insert',
    `    select n.id, n.tenant_id, n.st_id, 'create'::text as operation, null::jsonb as before, n.data as after,
      ${sortedKeys('n.data')} as changed_fields
    from new_rows n`,
  ),
  captureFunction(
    'pricebook_capture_update',
    `    select n.id, n.tenant_id, n.st_id,
      case
        when o.deleted_at is null and n.deleted_at is not null then 'delete'
        when o.deleted_at is not null and n.deleted_at is null then 'restore'
        else 'update'
      end as operation,
      o.data as before, n.data as after,
      array(
        select k from (select jsonb_object_keys(o.data) union select jsonb_object_keys(n.data)) as keys(k)
        where (o.data -> k) is distinct from (n.data -> k) order by k
      ) as changed_fields
    from new_rows n join old_rows o on o.id = n.id
    where n.data is distinct from o.data or n.deleted_at is distinct from o.deleted_at`,
  ),
  captureFunction(
    'pricebook_capture_delete',
    `    select o.id, o.tenant_id, o.st_id, 'delete'::text as operation, o.data as before, null::jsonb as after,
      ${sortedKeys('o.data')} as changed_fields
    from old_rows o`,
  ),
];
