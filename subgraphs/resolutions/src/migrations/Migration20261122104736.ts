import { Migration } from '@mikro-orm/migrations';

export class Migration20261122104736 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "resolutions";`);
    this.addSql(`create table "resolutions"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on resolutions.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "resolutions"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);

    this.addSql(`create table "resolutions"."resolutions" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid null, "issue_type" varchar(50) not null, "owning_team" varchar(120) not null, "status" text check ("status" in ('open', 'investigating', 'fix_in_progress', 'awaiting_deployment', 'resolved', 'closed')) not null default 'open', "priority" text check ("priority" in ('P0', 'P1', 'P2', 'P3')) not null, "root_cause" text null, "fix_description" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "resolutions_pkey" primary key ("id"));`);
    this.addSql(`create index "resolutions_tenant_created_idx" on "resolutions"."resolutions" ("tenant_id", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "resolutions"."outbox" cascade;`);

    this.addSql(`drop table if exists "resolutions"."processed_events" cascade;`);

    this.addSql(`drop table if exists "resolutions"."resolutions" cascade;`);

    this.addSql(`drop schema if exists "resolutions";`);
  }

}
