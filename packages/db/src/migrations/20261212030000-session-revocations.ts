import { Migration } from '@mikro-orm/migrations';

/**
 * Console sessions that end before their expiry: one row per signed-out session (its nonce), and
 * one "not before" per key for an admin's "end every session of this key". Both are read by
 * primary key on every cookie-authenticated request, and deleted by housekeeping once the
 * sessions they end would have expired anyway (hence the index on `expires_at`).
 */
export class Migration20261212030000_session_revocations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_revoked_sessions" ("nonce" text not null, "kid" text not null, "expires_at" timestamptz not null, "revoked_at" timestamptz not null default now(), constraint "pricebook_revoked_sessions_pkey" primary key ("nonce"));`,
    );
    this.addSql(
      `create index "pricebook_revoked_sessions_expires_idx" on "pricebook_revoked_sessions" ("expires_at");`,
    );

    this.addSql(
      `create table "pricebook_session_cutoffs" ("kid" text not null, "not_before" timestamptz not null, "expires_at" timestamptz not null, "revoked_by" text not null, "updated_at" timestamptz not null default now(), constraint "pricebook_session_cutoffs_pkey" primary key ("kid"));`,
    );
    this.addSql(
      `create index "pricebook_session_cutoffs_expires_idx" on "pricebook_session_cutoffs" ("expires_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_revoked_sessions" cascade;`);

    this.addSql(`drop table if exists "pricebook_session_cutoffs" cascade;`);
  }
}
