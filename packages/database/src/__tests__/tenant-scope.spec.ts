import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProcessedEventEntity, scopedTenant, tenantEntityManager } from '../index.js';
import { NoteEntity, insertNotes, openNotesDatabase, type Note, type NotesDatabase } from './notes-database.js';

let db: NotesDatabase;
beforeAll(async () => {
  db = await openNotesDatabase();
});
afterAll(async () => db?.close());

/** Two tenants with two notes each. */
async function twoTenants(): Promise<{ mine: string; theirs: string; myNotes: Note[]; theirNotes: Note[] }> {
  const [mine, theirs] = [randomUUID(), randomUUID()];
  const note = (title: string) => ({ title, rank: 1, createdAt: new Date() });
  const myNotes = await insertNotes(db.orm, mine, [note('mine 1'), note('mine 2')]);
  const theirNotes = await insertNotes(db.orm, theirs, [note('theirs 1'), note('theirs 2')]);
  return { mine, theirs, myNotes, theirNotes };
}

/** Every note of a tenant as stored, read without any filter. */
async function storedNotes(tenantId: string): Promise<Note[]> {
  return db.orm.em.fork().find(NoteEntity, { tenantId }, { filters: false, orderBy: { title: 'asc' } });
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (reason: unknown) => reason,
  );
}

describe('tenant-scoped EntityManager', () => {
  it('finds only its own tenant’s rows, even when asked for another tenant’s by id or by tenantId', async () => {
    const { mine, theirs, myNotes, theirNotes } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    expect((await em.find(NoteEntity, {})).map((note) => note.id).sort()).toEqual(myNotes.map((note) => note.id).sort());
    expect(await em.findOne(NoteEntity, { id: theirNotes[0]!.id })).toBeNull();
    expect(await em.find(NoteEntity, { id: { $in: theirNotes.map((note) => note.id) } })).toEqual([]);
    expect(await em.find(NoteEntity, { tenantId: theirs })).toEqual([]);
  });

  it('counts only its own tenant’s rows', async () => {
    const { mine, theirs } = await twoTenants();
    expect(await tenantEntityManager(db.orm.em, mine).count(NoteEntity, {})).toBe(2);
    expect(await tenantEntityManager(db.orm.em, mine).count(NoteEntity, { tenantId: theirs })).toBe(0);
  });

  it('does not update another tenant’s rows with nativeUpdate', async () => {
    const { mine, theirs, theirNotes } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    expect(await em.nativeUpdate(NoteEntity, { id: theirNotes[0]!.id }, { title: 'hijacked' })).toBe(0);
    expect(await em.nativeUpdate(NoteEntity, {}, { rank: 99 })).toBe(2);
    const theirsNow = await storedNotes(theirs);
    expect(theirsNow.map((note) => [note.title, note.rank])).toEqual([
      ['theirs 1', 1],
      ['theirs 2', 1],
    ]);
    expect((await storedNotes(mine)).map((note) => note.rank)).toEqual([99, 99]);
  });

  it('does not delete another tenant’s rows with nativeDelete', async () => {
    const { mine, theirs, theirNotes } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    expect(await em.nativeDelete(NoteEntity, { id: theirNotes[0]!.id })).toBe(0);
    expect(await em.nativeDelete(NoteEntity, {})).toBe(2);
    expect(await storedNotes(theirs)).toHaveLength(2);
    expect(await storedNotes(mine)).toHaveLength(0);
  });

  it('keeps the scope inside its transactions', async () => {
    const { mine, theirNotes } = await twoTenants();
    const found = await tenantEntityManager(db.orm.em, mine).transactional((tx) => tx.find(NoteEntity, { id: theirNotes[0]!.id }));
    expect(found).toEqual([]);
  });

  it('reports its tenant, and an unscoped EntityManager none', () => {
    const tenant = randomUUID();
    expect(scopedTenant(tenantEntityManager(db.orm.em, tenant))).toBe(tenant);
    expect(scopedTenant(db.orm.em.fork() as EntityManager)).toBeUndefined();
  });

  it('throws when an unscoped fork queries a tenant-owned entity with the default filter', async () => {
    await twoTenants();
    const em = db.orm.em.fork();
    const missingTenant = { message: "No arguments provided for filter 'tenant'" };
    expect(await rejection(em.find(NoteEntity, {}))).toMatchObject(missingTenant);
    expect(await rejection(em.count(NoteEntity, {}))).toMatchObject(missingTenant);
    expect(await rejection(em.nativeUpdate(NoteEntity, {}, { rank: 0 }))).toMatchObject(missingTenant);
    expect(await rejection(em.nativeDelete(NoteEntity, {}))).toMatchObject(missingTenant);
  });

  it('lets system code read across tenants only by switching the filter off explicitly', async () => {
    const { mine, theirs } = await twoTenants();
    const rows = await db.orm.em.fork().find(NoteEntity, { tenantId: { $in: [mine, theirs] } }, { filters: false });
    expect(new Set(rows.map((note) => note.tenantId))).toEqual(new Set([mine, theirs]));
  });
});

describe('TenantGuard', () => {
  it('refuses to flush a new row of another tenant, and writes nothing', async () => {
    const { mine, theirs } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    em.create(NoteEntity, { id: randomUUID(), tenantId: mine, title: 'fine', rank: 1, createdAt: new Date() });
    em.create(NoteEntity, { id: randomUUID(), tenantId: theirs, title: 'smuggled', rank: 1, createdAt: new Date() });
    expect(await rejection(em.flush())).toMatchObject({ message: 'Tenant guard: Note belongs to another tenant' });
    expect((await storedNotes(theirs)).map((note) => note.title)).not.toContain('smuggled');
    expect((await storedNotes(mine)).map((note) => note.title)).not.toContain('fine');
  });

  it('refuses to move an own row to another tenant', async () => {
    const { mine, theirs, myNotes } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    const note = await em.findOneOrFail(NoteEntity, { id: myNotes[0]!.id });
    note.tenantId = theirs;
    expect(await rejection(em.flush())).toMatchObject({ message: 'Tenant guard: Note belongs to another tenant' });
    expect((await storedNotes(mine)).map((stored) => stored.id)).toContain(myNotes[0]!.id);
  });

  it('refuses to remove another tenant’s row through a reference', async () => {
    const { mine, theirs, theirNotes } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    em.remove(em.getReference(NoteEntity, theirNotes[0]!.id));
    expect(await rejection(em.flush())).toMatchObject({
      message: expect.stringMatching(/^Tenant guard: load Note [0-9a-f-]+ before changing it$/),
    });
    expect(await storedNotes(theirs)).toHaveLength(2);
  });

  it('guards writes made inside a transaction of a scoped EntityManager', async () => {
    const { mine, theirs } = await twoTenants();
    const attempt = tenantEntityManager(db.orm.em, mine).transactional(async (tx) => {
      tx.create(NoteEntity, { id: randomUUID(), tenantId: theirs, title: 'in a transaction', rank: 1, createdAt: new Date() });
    });
    expect(await rejection(attempt)).toMatchObject({ message: 'Tenant guard: Note belongs to another tenant' });
    expect((await storedNotes(theirs)).map((note) => note.title)).not.toContain('in a transaction');
  });

  it('lets a scoped EntityManager write its own rows and rows of entities without a tenant', async () => {
    const { mine } = await twoTenants();
    const em = tenantEntityManager(db.orm.em, mine);
    em.create(NoteEntity, { id: randomUUID(), tenantId: mine, title: 'own', rank: 1, createdAt: new Date() });
    em.create(ProcessedEventEntity, { consumer: 'guard-test', eventId: randomUUID(), processedAt: new Date() });
    await em.flush();
    expect((await storedNotes(mine)).map((note) => note.title)).toContain('own');
  });

  it('does not restrict an unscoped (system) EntityManager', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const em = db.orm.em.fork();
    em.create(NoteEntity, { id: randomUUID(), tenantId: first, title: 'system 1', rank: 1, createdAt: new Date() });
    em.create(NoteEntity, { id: randomUUID(), tenantId: second, title: 'system 2', rank: 1, createdAt: new Date() });
    await em.flush();
    expect(await storedNotes(first)).toHaveLength(1);
    expect(await storedNotes(second)).toHaveLength(1);
  });
});
