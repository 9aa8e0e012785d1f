import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { nextWithin } from '@deskgraph/testing';
import type { ResultStream } from '../subscription-executor.js';
import { FrameWriter } from '../frame-writer.js';
import { SubscriptionHub } from '../subscription-hub.js';

/** A controllable upstream: `emit` pushes a result, `returned` tells whether it was closed. */
function upstream() {
  const pending: ((result: IteratorResult<FormattedExecutionResult>) => void)[] = [];
  const queued: FormattedExecutionResult[] = [];
  const state = { returned: false, starts: 0 };
  const stream: ResultStream = {
    next: () => {
      const value = queued.shift();
      if (value) return Promise.resolve({ value, done: false });
      if (state.returned) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => pending.push(resolve));
    },
    return: async () => {
      state.returned = true;
      pending.splice(0).forEach((resolve) => resolve({ value: undefined, done: true }));
      return { value: undefined, done: true };
    },
    throw: async (error) => {
      throw error;
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return {
    stream,
    state,
    emit(value: FormattedExecutionResult) {
      const waiting = pending.shift();
      if (waiting) waiting({ value, done: false });
      else queued.push(value);
    },
    start: async () => {
      state.starts++;
      return stream;
    },
  };
}

const options = { queueLimit: 3, onOverflow: () => undefined };
const asStream = (value: ResultStream | FormattedExecutionResult) => value as ResultStream;

describe('SubscriptionHub', () => {
  it('starts one upstream for identical keys and gives every subscriber every result', async () => {
    const hub = new SubscriptionHub();
    const source = upstream();
    const [a, b] = await Promise.all([hub.subscribe('k', source.start, options), hub.subscribe('k', source.start, options)]);
    expect(source.state.starts).toBe(1);
    expect(hub.stats()).toEqual({ groups: 1, subscribers: 2 });
    source.emit({ data: { n: 1 } });
    expect(await nextWithin(asStream(a))).toEqual({ data: { n: 1 } });
    expect(await nextWithin(asStream(b))).toEqual({ data: { n: 1 } });
  });

  it('closes the upstream when the last subscriber leaves, and starts afresh for the next', async () => {
    const hub = new SubscriptionHub();
    const first = upstream();
    const a = asStream(await hub.subscribe('k', first.start, options));
    const b = asStream(await hub.subscribe('k', first.start, options));
    await a.return?.();
    expect(first.state.returned).toBe(false);
    await b.return?.();
    expect(first.state.returned).toBe(true);
    expect(hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    const second = upstream();
    await hub.subscribe('k', second.start, options);
    expect(second.state.starts).toBe(1);
  });

  it('drops a subscriber that falls behind its queue limit without holding back the others', async () => {
    const hub = new SubscriptionHub();
    const source = upstream();
    let dropped = 0;
    const slow = asStream(await hub.subscribe('k', source.start, { queueLimit: 2, onOverflow: () => dropped++ }));
    const fast = asStream(await hub.subscribe('k', source.start, options));
    for (let n = 0; n < 3; n++) {
      source.emit({ data: { n } });
      expect(await nextWithin(fast)).toEqual({ data: { n } });
    }
    expect(dropped).toBe(1);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(hub.stats().subscribers).toBe(1);
  });

  it('hands back a refusal without sharing it', async () => {
    const hub = new SubscriptionHub();
    let attempts = 0;
    const refuse = async () => {
      attempts++;
      return { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] };
    };
    expect(await hub.subscribe('k', refuse, options)).toEqual({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] });
    await hub.subscribe('k', refuse, options);
    expect(attempts).toBe(2);
  });

  it('completes every subscriber and closes upstreams on closeAll', async () => {
    const hub = new SubscriptionHub();
    const source = upstream();
    const a = asStream(await hub.subscribe('k', source.start, options));
    const waiting = a.next();
    await hub.closeAll();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(source.state.returned).toBe(true);
  });

  it('serialises each event once for a whole group and frames it per subscription', async () => {
    const hub = new SubscriptionHub();
    const source = upstream();
    const frames: string[][] = [[], [], []];
    const writers = await Promise.all(
      frames.map(async (written, index) => {
        const stream = asStream(await hub.subscribe('k', source.start, options));
        return new FrameWriter(String(index + 1), stream, (frame) => written.push(frame) > 0);
      }),
    );
    const running = writers.map((writer) => writer.next());
    let reads = 0;
    source.emit({
      data: {
        get message() {
          reads++;
          return { id: 'm1', content: 'hello' };
        },
      },
    });
    await vi.waitFor(() => expect(frames.every((written) => written.length === 1)).toBe(true));
    expect(reads).toBe(1);
    expect(frames.map((written) => JSON.parse(written[0]!))).toEqual(
      ['1', '2', '3'].map((id) => ({ id, type: 'next', payload: { data: { message: { id: 'm1', content: 'hello' } } } })),
    );
    await hub.closeAll();
    expect(await Promise.all(running)).toEqual(frames.map(() => ({ value: undefined, done: true })));
  });

  it('ends the subscription when the socket refuses a frame', async () => {
    const hub = new SubscriptionHub();
    const source = upstream();
    const writer = new FrameWriter('1', asStream(await hub.subscribe('k', source.start, options)), () => false);
    const running = writer.next();
    source.emit({ data: { n: 1 } });
    expect(await running).toEqual({ value: undefined, done: true });
    expect(hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(source.state.returned).toBe(true);
  });
});
