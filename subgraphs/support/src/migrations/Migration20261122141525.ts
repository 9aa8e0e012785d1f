import { Migration } from '@mikro-orm/migrations';

export class Migration20261122141525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "conversations_tenant_live_filters_idx" on support.conversations ("tenant_id", "state", "severity") where "deleted_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "support"."conversations_tenant_live_filters_idx";`);
  }

}
