import { Migration } from '@mikro-orm/migrations';

export class Migration20261122142228 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "support"."directory_teams" ("tenant_id" uuid not null, "id" uuid not null, "deleted" boolean not null, "updated_at" timestamptz not null, constraint "directory_teams_pkey" primary key ("tenant_id", "id"));`);

    this.addSql(`create table "support"."directory_users" ("tenant_id" uuid not null, "id" uuid not null, "role" varchar(20) null, "active" boolean not null, "updated_at" timestamptz not null, constraint "directory_users_pkey" primary key ("tenant_id", "id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support"."directory_teams" cascade;`);

    this.addSql(`drop table if exists "support"."directory_users" cascade;`);
  }

}
