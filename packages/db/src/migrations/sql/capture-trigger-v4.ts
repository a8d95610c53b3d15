/**
 * AFTER statement trigger functions (v4, frozen with the `changesets` migration): v3, plus the
 * change-set. Each audit row carries `pricebook.changeset_id`, and the statement that writes the
 * first audit row of a change-set also inserts its `pricebook_changesets` row (kind from
 * `pricebook.changeset_kind`, the writer's actor), so a change-set exists exactly when it holds a
 * change, in the same transaction. The trigger wiring of v1 is unchanged.
 */

// The writer's identity comes from transaction-local settings; no setting means a local edit.
const contextDeclarations = `  v_entity text := TG_ARGV[0];
  v_origin text := coalesce(nullif(current_setting('pricebook.origin', true), ''), 'local');
  v_sync_log_id uuid := nullif(current_setting('pricebook.sync_log_id', true), '')::uuid;
  v_actor text := nullif(current_setting('pricebook.actor', true), '');
  v_changeset_id uuid := nullif(current_setting('pricebook.changeset_id', true), '')::uuid;
  v_changeset_kind text := nullif(current_setting('pricebook.changeset_kind', true), '');`;

// The subject and type name the event, so they stay here with the row that routes it; a restore is
// an update to subscribers, while the audit row keeps the finer `restore`.
const eventName = `(case a.operation when 'create' then 'created' when 'delete' then 'deleted' else 'updated' end)`;

/** Writes both rows from a CTE `c(id, tenant_id, st_id, operation, before, after, changed_fields)`. */
function writeFrom(changedRows: string): string {
  return `  with c as (
${changedRows}
  ), audit as (
    insert into pricebook_changes
      (tenant_id, entity_type, record_id, st_id, operation, origin, before, after, changed_fields, sync_log_id, actor,
       changeset_id)
    select c.tenant_id, v_entity, c.id, c.st_id, c.operation, v_origin, c.before, c.after, c.changed_fields,
      v_sync_log_id, v_actor, v_changeset_id
    from c
    returning id, seq, tenant_id, record_id, st_id, operation
  ), changeset as (
    -- Runs whether or not anything reads it; writes nothing when the statement changed no row.
    insert into pricebook_changesets (id, tenant_id, kind, actor)
    select v_changeset_id, a.tenant_id, coalesce(v_changeset_kind, 'edit'), v_actor
    from audit a
    where v_changeset_id is not null
    limit 1
    on conflict (id) do nothing
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

export const captureFunctionsV4 = [
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
