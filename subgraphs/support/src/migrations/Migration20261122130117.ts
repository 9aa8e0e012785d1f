import { Migration } from '@mikro-orm/migrations';

export class Migration20261122130117 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "support"."chat_channels" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "widget_token" varchar(100) not null, "is_active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "chat_channels_pkey" primary key ("id"));`);
    this.addSql(`alter table "support"."chat_channels" add constraint "chat_channels_widget_token_unique" unique ("widget_token");`);
    this.addSql(`create index "chat_channels_tenant_created_idx" on "support"."chat_channels" ("tenant_id", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support"."chat_channels" cascade;`);
  }

}
