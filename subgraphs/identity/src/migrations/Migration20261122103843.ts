import { Migration } from '@mikro-orm/migrations';

export class Migration20261122103843 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "identity";`);
    this.addSql(`create table "identity"."api_keys" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "scopes" text[] not null, "created_by_id" uuid null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "expires_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "identity"."api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "api_keys_tenant_created_idx" on "identity"."api_keys" ("tenant_id", "created_at");`);

    this.addSql(`create table "identity"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_unpublished_idx" on identity.outbox ("occurred_at") where "published_at" is null;`);

    this.addSql(`create table "identity"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`);

    this.addSql(`create table "identity"."teams" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "description" text null, "skills" text[] not null default '{}', "schedule" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "teams_pkey" primary key ("id"));`);
    this.addSql(`alter table "identity"."teams" add constraint "teams_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "identity"."tenants" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "tenants_pkey" primary key ("id"));`);

    this.addSql(`create table "identity"."users" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(320) not null, "password_hash" text not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "phone" varchar(20) null, "role" text check ("role" in ('admin', 'agent', 'customer')) not null, "is_active" boolean not null default true, "skills" text[] not null default '{}', "max_concurrent_conversations" int not null default 5, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "identity"."users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_tenant_created_idx" on "identity"."users" ("tenant_id", "created_at", "id");`);

    this.addSql(`create table "identity"."team_members" ("team_id" uuid not null, "user_id" uuid not null, "tenant_id" uuid not null, "joined_at" timestamptz not null, constraint "team_members_pkey" primary key ("team_id", "user_id"));`);
    this.addSql(`create index "team_members_user_idx" on "identity"."team_members" ("user_id");`);

    this.addSql(`create table "identity"."refresh_tokens" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "parent_id" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "identity"."refresh_tokens" ("family_id");`);
    this.addSql(`alter table "identity"."refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "identity"."user_preferences" ("user_id" uuid not null, "tenant_id" uuid not null, "notifications" jsonb not null, "theme" text check ("theme" in ('light', 'dark', 'system')) not null, "language" varchar(35) not null, "timezone" varchar(64) not null, "updated_at" timestamptz not null, constraint "user_preferences_pkey" primary key ("user_id"));`);

    this.addSql(`alter table "identity"."team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "identity"."teams" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "identity"."team_members" add constraint "team_members_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "identity"."refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "identity"."user_preferences" add constraint "user_preferences_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "identity"."team_members" drop constraint "team_members_team_id_foreign";`);

    this.addSql(`alter table "identity"."team_members" drop constraint "team_members_user_id_foreign";`);

    this.addSql(`alter table "identity"."refresh_tokens" drop constraint "refresh_tokens_user_id_foreign";`);

    this.addSql(`alter table "identity"."user_preferences" drop constraint "user_preferences_user_id_foreign";`);

    this.addSql(`drop table if exists "identity"."api_keys" cascade;`);

    this.addSql(`drop table if exists "identity"."outbox" cascade;`);

    this.addSql(`drop table if exists "identity"."processed_events" cascade;`);

    this.addSql(`drop table if exists "identity"."teams" cascade;`);

    this.addSql(`drop table if exists "identity"."tenants" cascade;`);

    this.addSql(`drop table if exists "identity"."users" cascade;`);

    this.addSql(`drop table if exists "identity"."team_members" cascade;`);

    this.addSql(`drop table if exists "identity"."refresh_tokens" cascade;`);

    this.addSql(`drop table if exists "identity"."user_preferences" cascade;`);

    this.addSql(`drop schema if exists "identity";`);
  }

}
