import { Migration } from '@mikro-orm/migrations';

export class Migration20261122130027 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "identity"."users" add column "status" text check ("status" in ('available', 'busy', 'away', 'offline')) not null default 'offline', add column "status_changed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "identity"."users" drop column "status", drop column "status_changed_at";`);
  }

}
