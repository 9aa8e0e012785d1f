import { Migration } from '@mikro-orm/migrations';

export class Migration20261122104742 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "analytics";`);
    this.addSql(`create table "analytics"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on analytics.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "analytics"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);

    this.addSql(`create table "analytics"."tenant_activity" ("tenant_id" uuid not null, "user_count" int not null default 0, "team_count" int not null default 0, "last_event_at" timestamptz null, constraint "tenant_activity_pkey" primary key ("tenant_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "analytics"."outbox" cascade;`);

    this.addSql(`drop table if exists "analytics"."processed_events" cascade;`);

    this.addSql(`drop table if exists "analytics"."tenant_activity" cascade;`);

    this.addSql(`drop schema if exists "analytics";`);
  }

}
