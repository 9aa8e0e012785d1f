import { Migration } from '@mikro-orm/migrations';

export class Migration20261122115034 extends Migration {

  override async up(): Promise<void> {
    // Trigram indexes back the customer and conversation search (ILIKE '%...%').
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table "support"."conversations" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "state" text check ("state" in ('new', 'bot', 'awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed')) not null, "channels_used" text[] not null default '{}', "current_channel" text check ("current_channel" in ('web_chat', 'web_form', 'email', 'whatsapp', 'facebook', 'twitter', 'sms', 'voice', 'api')) not null, "assigned_agent_id" uuid null, "assigned_team_id" uuid null, "intent" varchar(100) null, "severity" text check ("severity" in ('P0', 'P1', 'P2', 'P3')) not null default 'P3', "sentiment" text check ("sentiment" in ('positive', 'neutral', 'negative')) null, "subject" varchar(500) not null, "summary" text null, "tags" text[] not null default '{}', "message_count" int not null default 0, "resolution_id" uuid null, "escalation_reason" text null, "custom_fields" jsonb not null default '{}', "metadata" jsonb not null default '{}', "template_id" uuid null, "due_at" timestamptz null, "sla_due_at" timestamptz null, "first_response_at" timestamptz null, "last_message_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "reopen_count" int not null default 0, "deleted_at" timestamptz null, "deleted_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "conversations_pkey" primary key ("id"));`);
    this.addSql(`create index "conversations_tenant_created_idx" on "support"."conversations" ("tenant_id", "created_at", "id");`);
    this.addSql(`create index "conversations_tenant_last_message_idx" on "support"."conversations" ("tenant_id", "last_message_at", "id");`);
    this.addSql(`create index "conversations_tenant_sla_due_idx" on "support"."conversations" ("tenant_id", "sla_due_at", "id");`);
    this.addSql(`create index "conversations_tenant_state_idx" on "support"."conversations" ("tenant_id", "state", "created_at");`);
    this.addSql(`create index "conversations_tenant_agent_idx" on "support"."conversations" ("tenant_id", "assigned_agent_id", "state");`);
    this.addSql(`create index "conversations_tenant_team_idx" on "support"."conversations" ("tenant_id", "assigned_team_id", "state");`);
    this.addSql(`create index "conversations_tenant_customer_idx" on "support"."conversations" ("tenant_id", "customer_id", "created_at");`);
    this.addSql(`create index "conversations_tenant_severity_idx" on "support"."conversations" ("tenant_id", "severity", "created_at");`);
    this.addSql(`create index "conversations_tags_idx" on support.conversations using gin ("tags");`);
    this.addSql(`create index "conversations_channels_idx" on support.conversations using gin ("channels_used");`);
    this.addSql(`create index "conversations_subject_trgm_idx" on support.conversations using gin ("subject" gin_trgm_ops);`);

    this.addSql(`create table "support"."conversation_events" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "type" text check ("type" in ('created', 'updated', 'state_changed', 'assigned', 'transferred', 'escalated', 'resolved', 'reopened', 'customer_changed', 'message_deleted')) not null, "actor_kind" varchar(20) not null, "actor_id" varchar(100) null, "data" jsonb not null default '{}', "created_at" timestamptz not null, constraint "conversation_events_pkey" primary key ("id"));`);
    this.addSql(`create index "conversation_events_conversation_idx" on "support"."conversation_events" ("conversation_id", "created_at", "id");`);

    this.addSql(`create table "support"."customer_identities" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "kind" text check ("kind" in ('email', 'phone', 'social', 'device')) not null, "network" varchar(50) not null default '', "value" varchar(320) not null, "is_primary" boolean not null default false, "created_at" timestamptz not null, constraint "customer_identities_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_identities_customer_idx" on "support"."customer_identities" ("customer_id");`);
    this.addSql(`create index "customer_identities_value_trgm_idx" on support.customer_identities using gin ("value" gin_trgm_ops);`);
    this.addSql(`alter table "support"."customer_identities" add constraint "customer_identities_unique" unique ("tenant_id", "kind", "network", "value");`);

    this.addSql(`create table "support"."customer_merges" ("id" uuid not null, "tenant_id" uuid not null, "source_id" uuid not null, "target_id" uuid not null, "merged_by" varchar(100) not null, "moved_identities" int not null, "moved_conversations" int not null, "moved_messages" int not null, "merged_at" timestamptz not null, constraint "customer_merges_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_merges_target_idx" on "support"."customer_merges" ("tenant_id", "target_id");`);
    this.addSql(`alter table "support"."customer_merges" add constraint "customer_merges_source_unique" unique ("tenant_id", "source_id");`);

    this.addSql(`create table "support"."messages" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "customer_id" uuid not null, "channel" text check ("channel" in ('web_chat', 'web_form', 'email', 'whatsapp', 'facebook', 'twitter', 'sms', 'voice', 'api')) not null, "direction" text check ("direction" in ('inbound', 'outbound')) not null, "sender_type" text check ("sender_type" in ('customer', 'agent', 'ai', 'system')) not null, "sender_id" uuid null, "content" text not null, "content_type" text check ("content_type" in ('text', 'html')) not null default 'text', "is_internal" boolean not null default false, "ai_annotations" jsonb null, "status" text check ("status" in ('queued', 'sent', 'delivered', 'read', 'failed')) not null, "external_id" varchar(500) null, "deleted_at" timestamptz null, "deleted_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "messages_pkey" primary key ("id"));`);
    this.addSql(`create index "messages_conversation_created_idx" on "support"."messages" ("conversation_id", "created_at", "id");`);
    this.addSql(`create index "messages_tenant_customer_created_idx" on "support"."messages" ("tenant_id", "customer_id", "created_at");`);
    this.addSql(`create index "messages_tenant_external_idx" on "support"."messages" ("tenant_id", "external_id");`);
    this.addSql(`create index "messages_content_fts_idx" on support.messages using gin (to_tsvector('simple', "content"));`);

    this.addSql(`create table "support"."message_attachments" ("id" uuid not null, "tenant_id" uuid not null, "message_id" uuid not null, "filename" varchar(255) not null, "content_type" varchar(255) not null, "size" int not null, "sha256" varchar(64) not null, "storage_key" varchar(500) not null, "created_at" timestamptz not null, constraint "message_attachments_pkey" primary key ("id"));`);
    this.addSql(`create index "message_attachments_message_idx" on "support"."message_attachments" ("message_id");`);

    this.addSql(`create table "support"."organizations" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "industry" varchar(100) null, "size" varchar(50) null, "address" text null, "custom_fields" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "organizations_pkey" primary key ("id"));`);
    this.addSql(`create index "organizations_tenant_name_idx" on "support"."organizations" ("tenant_id", "name", "id");`);

    this.addSql(`create table "support"."ticket_templates" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "subject" varchar(500) null, "description" text null, "severity" text check ("severity" in ('P0', 'P1', 'P2', 'P3')) null, "tags" text[] not null default '{}', "custom_fields" jsonb not null default '{}', "assigned_team_id" uuid null, "assigned_agent_id" uuid null, "due_in_hours" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "ticket_templates_pkey" primary key ("id"));`);
    this.addSql(`alter table "support"."ticket_templates" add constraint "ticket_templates_tenant_name_unique" unique ("tenant_id", "name");`);

    // The first customers kept one email and phone on the row: they become primary identities.
    this.addSql(`insert into "support"."customer_identities" ("id", "tenant_id", "customer_id", "kind", "network", "value", "is_primary", "created_at") select gen_random_uuid(), "tenant_id", "id", 'email', '', "email", true, "created_at" from "support"."customers" where "email" is not null on conflict do nothing;`);
    this.addSql(`insert into "support"."customer_identities" ("id", "tenant_id", "customer_id", "kind", "network", "value", "is_primary", "created_at") select gen_random_uuid(), "tenant_id", "id", 'phone', '', "phone", true, "created_at" from "support"."customers" where "phone" is not null on conflict do nothing;`);
    this.addSql(`alter table "support"."customers" drop column "email", drop column "phone";`);

    this.addSql(`alter table "support"."customers" add column "avatar_url" varchar(2048) null, add column "organization_id" uuid null, add column "sla_tier" varchar(50) not null default 'standard', add column "segments" text[] not null default '{}', add column "risk_flags" text[] not null default '{}', add column "custom_fields" jsonb not null default '{}', add column "merged_into_id" uuid null, add column "merged_at" timestamptz null, add column "last_contact_at" timestamptz null;`);
    this.addSql(`create index "customers_tenant_organization_idx" on "support"."customers" ("tenant_id", "organization_id");`);
    this.addSql(`create index "customers_name_trgm_idx" on support.customers using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "customers_tags_idx" on support.customers using gin ("tags");`);
    this.addSql(`create index "customers_segments_idx" on support.customers using gin ("segments");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support"."conversations" cascade;`);

    this.addSql(`drop table if exists "support"."conversation_events" cascade;`);

    this.addSql(`drop table if exists "support"."customer_identities" cascade;`);

    this.addSql(`drop table if exists "support"."customer_merges" cascade;`);

    this.addSql(`drop table if exists "support"."messages" cascade;`);

    this.addSql(`drop table if exists "support"."message_attachments" cascade;`);

    this.addSql(`drop table if exists "support"."organizations" cascade;`);

    this.addSql(`drop table if exists "support"."ticket_templates" cascade;`);

    this.addSql(`drop index "support"."customers_tenant_organization_idx";`);
    this.addSql(`drop index "support"."customers_name_trgm_idx";`);
    this.addSql(`drop index "support"."customers_tags_idx";`);
    this.addSql(`drop index "support"."customers_segments_idx";`);
    this.addSql(`alter table "support"."customers" drop column "avatar_url", drop column "organization_id", drop column "sla_tier", drop column "segments", drop column "risk_flags", drop column "custom_fields", drop column "merged_into_id", drop column "merged_at", drop column "last_contact_at";`);

    this.addSql(`alter table "support"."customers" add column "email" varchar(320) null, add column "phone" varchar(20) null;`);
  }

}
