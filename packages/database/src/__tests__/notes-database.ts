import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, type MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '@deskgraph/runtime';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';
import { openDatabase, tenantFilter } from '../index.js';

/** The schema the database tests own. */
export const SCHEMA = 'notes_test';

/** A throwaway tenant-owned entity for the database package's tests. */
export const NoteEntity = defineEntity({
  name: 'Note',
  tableName: 'notes',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    title: p.string().length(100),
    rank: p.integer(),
    createdAt: p.datetime(),
  }),
});
export type Note = InferEntity<typeof NoteEntity>;

class CreateNotes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "${SCHEMA}"."notes" ("id" uuid not null, "tenant_id" uuid not null, "title" varchar(100) not null, "rank" int not null, "created_at" timestamptz not null, constraint "notes_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "${SCHEMA}"."outbox" ("id" uuid not null, "tenant_id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "${SCHEMA}"."processed_events" ("consumer" varchar(100) not null, "event_id" uuid not null, "processed_at" timestamptz not null, constraint "processed_events_pkey" primary key ("consumer", "event_id"));`,
    );
  }
}

const migrations: MigrationObject[] = [{ name: 'Migration00000000000001_create_notes', class: CreateNotes }];

export const logger = createLogger({ name: 'database-test', level: testEnvironment.logLevel });

export interface NotesDatabase {
  orm: MikroORM;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A fresh database on the real server with the notes schema migrated by openDatabase. */
export async function openNotesDatabase(poolSize = 5): Promise<NotesDatabase> {
  const database = await createTestDatabase();
  const orm = await openDatabase({ url: database.url, schema: SCHEMA, entities: [NoteEntity], migrations, logger, poolSize });
  return {
    orm,
    database,
    async close() {
      await orm.close(true);
      await database.drop();
    },
  };
}

/** Inserts notes of one tenant, bypassing the tenant filter (test setup only). */
export async function insertNotes(
  orm: MikroORM,
  tenantId: string,
  notes: { title: string; rank: number; createdAt: Date }[],
): Promise<Note[]> {
  const em = orm.em.fork();
  const created = notes.map((note) => em.create(NoteEntity, { id: randomUUID(), tenantId, ...note }));
  await em.flush();
  return created;
}
