import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@deskgraph/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, findPage, pageRequest, tenantEntityManager, totalOf, type Connection } from '../index.js';
import { NoteEntity, insertNotes, openNotesDatabase, type Note, type NotesDatabase } from './notes-database.js';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details ?? []).map((detail) => `${detail.field}: ${detail.message}`);
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('pageRequest', () => {
  it('defaults to the first 20 without cursor or offset', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageRequest({})).toEqual({ first: 20, after: null, offset: null });
    expect(pageRequest({ first: null, after: null, offset: null })).toEqual({ first: 20, after: null, offset: null });
  });

  it('keeps valid arguments', () => {
    expect(pageRequest({ first: 1, after: 'abc' })).toEqual({ first: 1, after: 'abc', offset: null });
    expect(pageRequest({ first: MAX_PAGE_SIZE, offset: 0 })).toEqual({ first: 100, after: null, offset: 0 });
  });

  it.each([0, -1, 101, 2.5])('refuses first = %d', (first) => {
    expect(fieldsOf(() => pageRequest({ first }))).toEqual(['first: must be between 1 and 100']);
  });

  it.each([-1, 1.5])('refuses offset = %d', (offset) => {
    expect(fieldsOf(() => pageRequest({ offset }))).toEqual(['offset: must be zero or more']);
  });

  it('refuses an offset combined with a cursor', () => {
    expect(fieldsOf(() => pageRequest({ offset: 10, after: 'abc' }))).toEqual(['offset: cannot be combined with after']);
  });
});

describe('findPage', () => {
  let db: NotesDatabase;
  const tenant = randomUUID();
  const neighbour = randomUUID();
  /** Newest first, ties on createdAt broken by id (descending): the order pages must follow. */
  let expectedOrder: Note[];

  beforeAll(async () => {
    db = await openNotesDatabase();
    const base = Date.parse('2026-01-01T00:00:00Z');
    // Eleven notes; 3 pairs share a timestamp so only the id keeps the order stable.
    const notes = Array.from({ length: 11 }, (_, index) => ({
      title: `note ${index}`,
      rank: index % 3,
      createdAt: new Date(base + Math.floor(index / 2) * 60_000),
    }));
    const created = await insertNotes(db.orm, tenant, notes);
    await insertNotes(db.orm, neighbour, [{ title: 'not yours', rank: 0, createdAt: new Date(base + 3_600_000) }]);
    expectedOrder = [...created].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  });
  afterAll(async () => db?.close());

  const order = { createdAt: 'desc', id: 'desc' } as const;

  it('walks every row once, in order, page by page with cursors', async () => {
    const em = tenantEntityManager(db.orm.em, tenant);
    const seen: string[] = [];
    let after: string | null = null;
    const pages: { size: number; hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number }[] = [];
    do {
      const page: Connection<Note> = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 4, after }));
      seen.push(...page.nodes.map((note) => note.id));
      expect(page.edges.map((edge) => edge.node)).toEqual(page.nodes);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      pages.push({
        size: page.nodes.length,
        hasNextPage: page.pageInfo.hasNextPage,
        hasPreviousPage: page.pageInfo.hasPreviousPage,
        totalCount: await totalOf(page),
      });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length < 10);
    expect(seen).toEqual(expectedOrder.map((note) => note.id));
    expect(pages.map((page) => page.size)).toEqual([4, 4, 3]);
    expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, false]);
    expect(pages[0]!.hasPreviousPage).toBe(false);
    expect(pages.map((page) => page.totalCount)).toEqual([11, 11, 11]);
  });

  it('counts and pages only the rows matching the filter', async () => {
    const em = tenantEntityManager(db.orm.em, tenant);
    const page = await findPage(em, NoteEntity, { rank: 0 }, order, pageRequest({ first: 2 }));
    const matching = expectedOrder.filter((note) => note.rank === 0);
    expect(page.totalCount).toBe(matching.length);
    expect(page.nodes.map((note) => note.id)).toEqual(matching.slice(0, 2).map((note) => note.id));
  });

  it('pages by offset with the same order, counts and page flags', async () => {
    const em = tenantEntityManager(db.orm.em, tenant);
    const middle = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 4, offset: 4 }));
    expect(middle.nodes.map((note) => note.id)).toEqual(expectedOrder.slice(4, 8).map((note) => note.id));
    expect(middle.totalCount).toBe(11);
    expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const last = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 4, offset: 8 }));
    expect(last.nodes.map((note) => note.id)).toEqual(expectedOrder.slice(8).map((note) => note.id));
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const beyond = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 4, offset: 40 }));
    expect(beyond.nodes).toEqual([]);
    expect(beyond.totalCount).toBe(11);
    expect(beyond.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  it('gives offset pages cursors that continue with keyset pagination', async () => {
    const em = tenantEntityManager(db.orm.em, tenant);
    const first = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 3, offset: 0 }));
    const next = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 3, after: first.pageInfo.endCursor }));
    expect(next.nodes.map((note) => note.id)).toEqual(expectedOrder.slice(3, 6).map((note) => note.id));
  });

  it('sees only the tenant of the EntityManager', async () => {
    const page = await findPage(tenantEntityManager(db.orm.em, neighbour), NoteEntity, {}, order, pageRequest({}));
    expect(page.totalCount).toBe(1);
    expect(page.nodes.map((note) => note.title)).toEqual(['not yours']);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a string', Buffer.from('"str"').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['wrongly typed keys', Buffer.from('["x","y"]').toString('base64url')],
    ['too few keys', Buffer.from('[1]').toString('base64url')],
    ['no keys', Buffer.from('[]').toString('base64url')],
    ['a non-UUID id', Buffer.from('["2026-01-01T00:00:00.000Z","not-a-uuid"]').toString('base64url')],
  ])('answers VALIDATION_ERROR on `after` for %s', async (_case, cursor) => {
    const em = tenantEntityManager(db.orm.em, tenant);
    const error = await findPage(em, NoteEntity, {}, order, pageRequest({ first: 2, after: cursor })).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ field: 'after', message: 'is not a valid cursor' }]);
  });
});
