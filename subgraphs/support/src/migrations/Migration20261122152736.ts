import { Migration } from '@mikro-orm/migrations';

export class Migration20261122152736 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "support"."directory_users" add column "email" varchar(320) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "support"."directory_users" drop column "email";`);
  }

}
