import { Migration } from '@mikro-orm/migrations';

export class Migration20261122104552 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "support";`);
    this.addSql(`create table "support"."customers" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "email" varchar(320) null, "phone" varchar(20) null, "company" varchar(200) null, "status" text check ("status" in ('active', 'inactive', 'blocked')) not null default 'active', "tags" text[] not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "customers_pkey" primary key ("id"));`);
    this.addSql(`create index "customers_tenant_created_idx" on "support"."customers" ("tenant_id", "created_at", "id");`);

    this.addSql(`create table "support"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on support.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "support"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support"."customers" cascade;`);

    this.addSql(`drop table if exists "support"."outbox" cascade;`);

    this.addSql(`drop table if exists "support"."processed_events" cascade;`);

    this.addSql(`drop schema if exists "support";`);
  }

}
