import { Migration } from '@mikro-orm/migrations';

export class Migration20261122104738 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "campaigns";`);
    this.addSql(`create table "campaigns"."campaigns" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "caller_id" varchar(20) not null, "status" text check ("status" in ('draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled')) not null default 'draft', "timezone" varchar(64) not null, "schedule_start" timestamptz null, "schedule_end" timestamptz null, "amd_enabled" boolean not null default true, "record_calls" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "campaigns_pkey" primary key ("id"));`);
    this.addSql(`create index "campaigns_tenant_created_idx" on "campaigns"."campaigns" ("tenant_id", "created_at", "id");`);

    this.addSql(`create table "campaigns"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on campaigns.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "campaigns"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "campaigns"."campaigns" cascade;`);

    this.addSql(`drop table if exists "campaigns"."outbox" cascade;`);

    this.addSql(`drop table if exists "campaigns"."processed_events" cascade;`);

    this.addSql(`drop schema if exists "campaigns";`);
  }

}
