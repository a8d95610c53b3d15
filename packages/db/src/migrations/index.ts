import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125114933_initial } from './20261125114933-initial';
import { Migration20261125115000_triggers } from './20261125115000-triggers';
import { Migration20261125120603_sync_items } from './20261125120603-sync-items';
import { Migration20261126090000_push_origin } from './20261126090000-push-origin';
import { Migration20261206110000_conflict_review } from './20261206110000-conflict-review';
import { Migration20261206130000_sync_item_versions } from './20261206130000-sync-item-versions';
import { Migration20261206170000_st_rate_budget } from './20261206170000-st-rate-budget';
import { Migration20261206180000_push_impact } from './20261206180000-push-impact';
import { Migration20261207010000_events_from_audit } from './20261207010000-events-from-audit';
import { Migration20261207020000_sync_pushing } from './20261207020000-sync-pushing';
import { Migration20261208020000_audit_reads } from './20261208020000-audit-reads';
import { Migration20261208030000_housekeeping } from './20261208030000-housekeeping';
import { Migration20261209010000_tenants } from './20261209010000-tenants';
import { Migration20261210010000_changesets } from './20261210010000-changesets';
import { Migration20261210010000_drift_reports } from './20261210010000-drift-reports';
import { Migration20261210010000_webhooks } from './20261210010000-webhooks';
import { Migration20261210020000_search } from './20261210020000-search';
import { Migration20261211010000_assistant } from './20261211010000-assistant';
import { Migration20261212010000_dead_letter_discard } from './20261212010000-dead-letter-discard';
import { Migration20261212020000_webhook_attempts } from './20261212020000-webhook-attempts';
import { Migration20261212030000_session_revocations } from './20261212030000-session-revocations';

/**
 * Every migration in order. Listed explicitly (not discovered from the folder) so they run the
 * same under tsx, vitest and a bundle. A file made by `pnpm migration:create` is added here.
 */
export const migrationsList: MigrationObject[] = [
  { name: '20261125114933-initial', class: Migration20261125114933_initial },
  { name: '20261125115000-triggers', class: Migration20261125115000_triggers },
  { name: '20261125120603-sync-items', class: Migration20261125120603_sync_items },
  { name: '20261126090000-push-origin', class: Migration20261126090000_push_origin },
  { name: '20261206110000-conflict-review', class: Migration20261206110000_conflict_review },
  { name: '20261206130000-sync-item-versions', class: Migration20261206130000_sync_item_versions },
  { name: '20261206170000-st-rate-budget', class: Migration20261206170000_st_rate_budget },
  { name: '20261206180000-push-impact', class: Migration20261206180000_push_impact },
  { name: '20261207010000-events-from-audit', class: Migration20261207010000_events_from_audit },
  { name: '20261207020000-sync-pushing', class: Migration20261207020000_sync_pushing },
  { name: '20261208020000-audit-reads', class: Migration20261208020000_audit_reads },
  { name: '20261208030000-housekeeping', class: Migration20261208030000_housekeeping },
  { name: '20261209010000-tenants', class: Migration20261209010000_tenants },
  { name: '20261210010000-changesets', class: Migration20261210010000_changesets },
  { name: '20261210010000-drift-reports', class: Migration20261210010000_drift_reports },
  { name: '20261210010000-webhooks', class: Migration20261210010000_webhooks },
  { name: '20261210020000-search', class: Migration20261210020000_search },
  { name: '20261211010000-assistant', class: Migration20261211010000_assistant },
  { name: '20261212010000-dead-letter-discard', class: Migration20261212010000_dead_letter_discard },
  { name: '20261212020000-webhook-attempts', class: Migration20261212020000_webhook_attempts },
  { name: '20261212030000-session-revocations', class: Migration20261212030000_session_revocations },
];
