import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InProcessEventBus, type DomainEvent } from '@deskgraph/events';
import { OutboxEventEntity, OutboxRelay, ProcessedEventEntity, applyOnce, recordEvent, tenantEntityManager } from '../index.js';
import { NoteEntity, SCHEMA, logger, openNotesDatabase, type NotesDatabase } from './notes-database.js';

let db: NotesDatabase;
let bus: InProcessEventBus;
let published: DomainEvent[];
let relay: OutboxRelay;

beforeAll(async () => {
  db = await openNotesDatabase();
  bus = new InProcessEventBus(logger);
  published = [];
  bus.subscribe((event) => void published.push(event));
  relay = new OutboxRelay({ orm: db.orm, bus, source: 'notes', schema: SCHEMA, logger });
  db.orm.em.getEventManager().registerSubscriber(relay);
});
afterEach(async () => {
  await relay.stop();
  await bus.drain();
});
afterAll(async () => {
  await bus?.close();
  await db?.close();
});

function publishedOf(tenantId: string): DomainEvent[] {
  return published.filter((event) => event.tenantId === tenantId);
}

async function unpublishedRows(tenantId: string): Promise<number> {
  return db.orm.em.fork().count(OutboxEventEntity, { tenantId, publishedAt: null });
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (reason: unknown) => reason,
  );
}

describe('recordEvent and OutboxRelay', () => {
  it('publishes an event after its transaction commits, with the outbox row’s fields', async () => {
    const tenant = randomUUID();
    const em = tenantEntityManager(db.orm.em, tenant);
    const noteId = randomUUID();
    em.create(NoteEntity, { id: noteId, tenantId: tenant, title: 'hello', rank: 1, createdAt: new Date() });
    recordEvent(em, { type: 'note.created', tenantId: tenant, aggregateId: noteId, payload: { noteId, title: 'hello' } });
    expect(publishedOf(tenant)).toEqual([]);
    await em.flush();
    await vi.waitFor(() => expect(publishedOf(tenant)).toHaveLength(1), { timeout: 3000, interval: 10 });
    expect(publishedOf(tenant)[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'note.created',
      tenantId: tenant,
      aggregateId: noteId,
      source: 'notes',
      occurredAt: expect.stringMatching(/Z$/),
      payload: { noteId, title: 'hello' },
    });
    await vi.waitFor(async () => expect(await unpublishedRows(tenant)).toBe(0), { timeout: 3000 });
  });

  it('publishes nothing while the transaction is still open', async () => {
    const tenant = randomUUID();
    await tenantEntityManager(db.orm.em, tenant).transactional(async (tx) => {
      recordEvent(tx, { type: 'note.created', tenantId: tenant, aggregateId: 'n1', payload: {} });
      await tx.flush();
      await relay.drain();
      await bus.drain();
      expect(publishedOf(tenant)).toEqual([]);
    });
    await vi.waitFor(() => expect(publishedOf(tenant)).toHaveLength(1), { timeout: 3000, interval: 10 });
  });

  it('never publishes the event of a transaction that rolled back', async () => {
    const tenant = randomUUID();
    const attempt = tenantEntityManager(db.orm.em, tenant).transactional(async (tx) => {
      tx.create(NoteEntity, { id: randomUUID(), tenantId: tenant, title: 'doomed', rank: 1, createdAt: new Date() });
      recordEvent(tx, { type: 'note.created', tenantId: tenant, aggregateId: 'doomed', payload: {} });
      await tx.flush();
      throw new Error('business rule violated');
    });
    expect(await rejection(attempt)).toMatchObject({ message: 'business rule violated' });
    await relay.drain();
    await bus.drain();
    expect(publishedOf(tenant)).toEqual([]);
    expect(await db.orm.em.fork().count(OutboxEventEntity, { tenantId: tenant })).toBe(0);
  });

  it('publishes rows left behind (e.g. by a crashed process) when it drains, oldest first', async () => {
    const tenant = randomUUID();
    // Written without the relay listening, as by a process that died before publishing.
    const knex = db.orm.em.getConnection().getKnex();
    const base = Date.now() - 60_000;
    await knex(`${SCHEMA}.outbox`).insert(
      [2, 0, 1].map((minute) => ({
        id: randomUUID(),
        tenant_id: tenant,
        type: `left.behind.${minute}`,
        aggregate_id: 'a',
        payload: JSON.stringify({ minute }),
        occurred_at: new Date(base + minute * 1000),
        published_at: null,
      })),
    );
    await relay.drain();
    await bus.drain();
    expect(publishedOf(tenant).map((event) => event.type)).toEqual(['left.behind.0', 'left.behind.1', 'left.behind.2']);
    expect(await unpublishedRows(tenant)).toBe(0);
  });

  it('publishes every event exactly once when two relays drain at the same time', async () => {
    const tenant = randomUUID();
    const em = tenantEntityManager(db.orm.em, tenant);
    await em.transactional(async (tx) => {
      for (let index = 0; index < 250; index++) {
        recordEvent(tx, { type: 'bulk.imported', tenantId: tenant, aggregateId: String(index), payload: { index } });
      }
    });
    const racingBus = new InProcessEventBus(logger);
    const raced: DomainEvent[] = [];
    racingBus.subscribe((event) => {
      if (event.tenantId === tenant) raced.push(event);
    });
    try {
      const relays = [1, 2].map(() => new OutboxRelay({ orm: db.orm, bus: racingBus, source: 'notes', schema: SCHEMA, logger }));
      await Promise.all([...relays.map((racing) => racing.drain()), relay.drain()]);
      await racingBus.drain();
      await bus.drain();
      const all = [...raced, ...publishedOf(tenant)];
      expect(all).toHaveLength(250);
      expect(new Set(all.map((event) => event.id)).size).toBe(250);
      expect(new Set(all.map((event) => event.aggregateId)).size).toBe(250);
      expect(await unpublishedRows(tenant)).toBe(0);
    } finally {
      await racingBus.close();
    }
  });

  it('publishes on its timer once started, and stops publishing when stopped', async () => {
    const timed = new OutboxRelay({ orm: db.orm, bus, source: 'notes', schema: SCHEMA, logger, intervalMs: 20 });
    const knex = db.orm.em.getConnection().getKnex();
    const tenant = randomUUID();
    const row = () => ({
      id: randomUUID(),
      tenant_id: tenant,
      type: 'timed',
      aggregate_id: 'a',
      payload: '{}',
      occurred_at: new Date(),
      published_at: null,
    });
    timed.start();
    await knex(`${SCHEMA}.outbox`).insert(row());
    await vi.waitFor(() => expect(publishedOf(tenant)).toHaveLength(1), { timeout: 3000, interval: 10 });
    await timed.stop();
    await knex(`${SCHEMA}.outbox`).insert(row());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await bus.drain();
    expect(publishedOf(tenant)).toHaveLength(1);
    expect(await unpublishedRows(tenant)).toBe(1);
  });
});

describe('applyOnce', () => {
  function event(tenantId = randomUUID()): DomainEvent {
    return {
      id: randomUUID(),
      type: 'note.created',
      tenantId,
      aggregateId: randomUUID(),
      source: 'notes',
      occurredAt: new Date().toISOString(),
      payload: {},
    };
  }

  it('applies an event once per consumer and skips redeliveries', async () => {
    const delivered = event();
    let applied = 0;
    const apply = async () => {
      applied++;
    };
    expect(await applyOnce(db.orm, 'indexer', delivered, apply)).toBe(true);
    expect(await applyOnce(db.orm, 'indexer', delivered, apply)).toBe(false);
    expect(applied).toBe(1);
    expect(await applyOnce(db.orm, 'notifier', delivered, apply)).toBe(true);
    expect(applied).toBe(2);
    expect(await applyOnce(db.orm, 'indexer', event(), apply)).toBe(true);
    expect(applied).toBe(3);
  });

  it('commits the consumer’s changes with the marker, scoped to the event’s tenant', async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    await db.orm.em.fork().insert(NoteEntity, { id: randomUUID(), tenantId: other, title: 'other tenant', rank: 1, createdAt: new Date() });
    const delivered = event(tenant);
    let visible: string[] = [];
    await applyOnce(db.orm, 'projector', delivered, async (em) => {
      em.create(NoteEntity, { id: randomUUID(), tenantId: tenant, title: 'projected', rank: 1, createdAt: new Date() });
      await em.flush();
      visible = (await em.find(NoteEntity, {})).map((note) => note.title);
    });
    expect(visible).toEqual(['projected']);
    expect(await tenantEntityManager(db.orm.em, tenant).count(NoteEntity, { title: 'projected' })).toBe(1);
  });

  it('forgets the event when applying it fails, so a redelivery applies it', async () => {
    const tenant = randomUUID();
    const delivered = event(tenant);
    const failed = applyOnce(db.orm, 'fragile', delivered, async (em) => {
      em.create(NoteEntity, { id: randomUUID(), tenantId: tenant, title: 'half done', rank: 1, createdAt: new Date() });
      await em.flush();
      throw new Error('downstream failed');
    });
    expect(await rejection(failed)).toMatchObject({ message: 'downstream failed' });
    expect(await tenantEntityManager(db.orm.em, tenant).count(NoteEntity, {})).toBe(0);
    expect(await db.orm.em.fork().count(ProcessedEventEntity, { consumer: 'fragile', eventId: delivered.id })).toBe(0);

    let retried = 0;
    expect(
      await applyOnce(db.orm, 'fragile', delivered, async () => {
        retried++;
      }),
    ).toBe(true);
    expect(retried).toBe(1);
  });

  it('refuses changes to another tenant inside apply, and rolls the marker back', async () => {
    const delivered = event();
    const attempt = applyOnce(db.orm, 'sneaky', delivered, async (em) => {
      em.create(NoteEntity, { id: randomUUID(), tenantId: randomUUID(), title: 'elsewhere', rank: 1, createdAt: new Date() });
      await em.flush();
    });
    expect(await rejection(attempt)).toMatchObject({ message: 'Tenant guard: Note belongs to another tenant' });
    expect(await db.orm.em.fork().count(ProcessedEventEntity, { consumer: 'sneaky', eventId: delivered.id })).toBe(0);
  });

  it('applies an event once even when two deliveries race', async () => {
    const delivered = event();
    let applied = 0;
    const apply = async () => {
      applied++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const outcomes = await Promise.all([
      applyOnce(db.orm, 'racer', delivered, apply),
      applyOnce(db.orm, 'racer', delivered, apply),
      applyOnce(db.orm, 'racer', delivered, apply),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(applied).toBe(1);
  });
});
