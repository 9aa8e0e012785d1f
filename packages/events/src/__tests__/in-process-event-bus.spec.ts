import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@deskgraph/runtime';
import { testEnvironment } from '@deskgraph/testing';
import { InProcessEventBus, type DomainEvent } from '../index.js';

const logger = createLogger({ name: 'in-process-event-bus-test', level: testEnvironment.logLevel });

function event(type = 'conversation.created'): DomainEvent {
  return {
    id: randomUUID(),
    type,
    tenantId: randomUUID(),
    aggregateId: randomUUID(),
    source: 'support',
    occurredAt: new Date().toISOString(),
    payload: { n: 1 },
  };
}

afterEach(() => vi.useRealTimers());

describe('InProcessEventBus subscribe', () => {
  it('delivers every published event to every listener', async () => {
    const bus = new InProcessEventBus(logger);
    const first: string[] = [];
    const second: string[] = [];
    bus.subscribe((received) => void first.push(received.id));
    bus.subscribe((received) => void second.push(received.id));
    const [a, b] = [event(), event()];
    await bus.publish(a);
    await bus.publish(b);
    await bus.drain();
    expect(first).toEqual([a.id, b.id]);
    expect(second).toEqual([a.id, b.id]);
  });

  it('stops delivering to a listener once it unsubscribed', async () => {
    const bus = new InProcessEventBus(logger);
    const received: string[] = [];
    const unsubscribe = bus.subscribe((delivered) => void received.push(delivered.id));
    const before = event();
    await bus.publish(before);
    unsubscribe();
    await bus.publish(event());
    await bus.drain();
    expect(received).toEqual([before.id]);
  });

  it('keeps delivering to other listeners when one throws, and does not retry a live listener', async () => {
    const bus = new InProcessEventBus(logger);
    let failingCalls = 0;
    const received: string[] = [];
    bus.subscribe(() => {
      failingCalls++;
      throw new Error('listener broke');
    });
    bus.subscribe((delivered) => void received.push(delivered.id));
    const published = event();
    await expect(bus.publish(published)).resolves.toBeUndefined();
    await bus.drain();
    expect(received).toEqual([published.id]);
    expect(failingCalls).toBe(1);
  });
});

describe('InProcessEventBus consume', () => {
  it('hands each event to the group’s handler', async () => {
    const bus = new InProcessEventBus(logger);
    const handled: string[] = [];
    bus.consume('search-indexer', (delivered) => void handled.push(delivered.id));
    const published = event();
    await bus.publish(published);
    await bus.drain();
    expect(handled).toEqual([published.id]);
  });

  it('refuses a second handler for the same group in one process, and accepts one for another group', () => {
    const bus = new InProcessEventBus(logger);
    bus.consume('analytics', () => undefined);
    expect(() => bus.consume('analytics', () => undefined)).toThrow('Consumer group analytics already has a handler in this process');
    expect(() => bus.consume('notifications', () => undefined)).not.toThrow();
  });

  it('retries a failing handler until it succeeds', async () => {
    vi.useFakeTimers();
    const bus = new InProcessEventBus(logger);
    let attempts = 0;
    const handled: string[] = [];
    bus.consume('flaky', (delivered) => {
      attempts++;
      if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
      handled.push(delivered.id);
    });
    const published = event();
    await bus.publish(published);
    const drained = bus.drain();
    await vi.runAllTimersAsync();
    await drained;
    expect(attempts).toBe(3);
    expect(handled).toEqual([published.id]);
  });

  it('waits longer between each retry', async () => {
    vi.useFakeTimers();
    const bus = new InProcessEventBus(logger);
    const attemptTimes: number[] = [];
    bus.consume('slow-to-recover', () => {
      attemptTimes.push(Date.now());
      if (attemptTimes.length < 4) throw new Error('not yet');
    });
    await bus.publish(event());
    const drained = bus.drain();
    await vi.runAllTimersAsync();
    await drained;
    const gaps = attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThan(0);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
  });

  it('gives up after five attempts (dead letter) and goes on with the next event', async () => {
    vi.useFakeTimers();
    const bus = new InProcessEventBus(logger);
    const attempts = new Map<string, number>();
    const poison = event('poison.pill');
    const healthy = event();
    bus.consume('strict', (delivered) => {
      attempts.set(delivered.id, (attempts.get(delivered.id) ?? 0) + 1);
      if (delivered.id === poison.id) throw new Error('cannot handle this one');
    });
    await bus.publish(poison);
    await bus.publish(healthy);
    const drained = bus.drain();
    await vi.runAllTimersAsync();
    await drained;
    expect(attempts.get(poison.id)).toBe(5);
    expect(attempts.get(healthy.id)).toBe(1);
    await vi.runAllTimersAsync();
    expect(attempts.get(poison.id)).toBe(5);
  });

  it('stops handing events to a group that unsubscribed', async () => {
    const bus = new InProcessEventBus(logger);
    const handled: string[] = [];
    const stop = bus.consume('temporary', (delivered) => void handled.push(delivered.id));
    stop();
    await bus.publish(event());
    await bus.drain();
    expect(handled).toEqual([]);
    expect(() => bus.consume('temporary', () => undefined)).not.toThrow();
  });
});

describe('InProcessEventBus drain and close', () => {
  it('drain waits for slow handlers, including deliveries they start themselves', async () => {
    const bus = new InProcessEventBus(logger);
    const finished: string[] = [];
    const follow = event('follow.up');
    bus.consume('chain', async (delivered) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished.push(delivered.type);
      if (delivered.type === 'first.step') await bus.publish(follow);
    });
    await bus.publish(event('first.step'));
    expect(finished).toEqual([]);
    await bus.drain();
    expect(finished).toEqual(['first.step', 'follow.up']);
  });

  it('close waits for deliveries in flight and then delivers nothing more', async () => {
    const bus = new InProcessEventBus(logger);
    const received: string[] = [];
    bus.subscribe(async (delivered) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      received.push(delivered.id);
    });
    const inFlight = event();
    await bus.publish(inFlight);
    await bus.close();
    expect(received).toEqual([inFlight.id]);
    await bus.publish(event());
    await bus.drain();
    expect(received).toEqual([inFlight.id]);
  });

  it('answers ping', async () => {
    expect(await new InProcessEventBus(logger).ping()).toBe(true);
  });
});
