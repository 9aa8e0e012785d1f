import { Migration } from '@mikro-orm/migrations';

export class Migration20261122104740 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "knowledge";`);
    this.addSql(`create table "knowledge"."articles" ("id" uuid not null, "tenant_id" uuid not null, "title" varchar(300) not null, "content" text not null, "status" text check ("status" in ('draft', 'published', 'archived')) not null default 'draft', "visibility" text check ("visibility" in ('internal', 'customer', 'both')) not null default 'internal', "tags" text[] not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "articles_pkey" primary key ("id"));`);
    this.addSql(`create index "articles_tenant_created_idx" on "knowledge"."articles" ("tenant_id", "created_at", "id");`);

    this.addSql(`create table "knowledge"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on knowledge.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "knowledge"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "knowledge"."articles" cascade;`);

    this.addSql(`drop table if exists "knowledge"."outbox" cascade;`);

    this.addSql(`drop table if exists "knowledge"."processed_events" cascade;`);

    this.addSql(`drop schema if exists "knowledge";`);
  }

}
