import type { FormattedExecutionResult } from 'graphql';
import type { ResultStream } from './subscription-executor.js';

/**
 * The JSON of each result, computed once: every subscriber of a hub group receives the same
 * result object, so the payload is serialised once per event and only framed per socket.
 */
const serialized = new WeakMap<FormattedExecutionResult, string>();

export function resultJson(result: FormattedExecutionResult): string {
  let json = serialized.get(result);
  if (json === undefined) {
    // GraphQLError instances among the errors serialise through their own toJSON.
    json = JSON.stringify(result);
    serialized.set(result, json);
  }
  return json;
}

/** A graphql-ws `next` message for subscription `id` around an already serialised payload. */
export function nextFrame(id: string, payloadJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payloadJson}}`;
}

/**
 * What graphql-ws iterates for one subscription: it yields nothing itself. Each result of
 * `stream` goes to `write` as a ready frame; graphql-ws only sees the stream end (and then
 * sends `complete`), or calls `return()` when the client completes or the socket closes.
 * `write` answers false when the socket cannot take more, which ends the stream.
 */
export class FrameWriter implements AsyncIterableIterator<never> {
  constructor(
    private readonly id: string,
    private readonly stream: ResultStream,
    private readonly write: (frame: string) => boolean,
  ) {}

  async next(): Promise<IteratorResult<never>> {
    for (;;) {
      const result = await this.stream.next();
      if (result.done) return { value: undefined, done: true };
      if (!this.write(nextFrame(this.id, resultJson(result.value)))) {
        await this.stream.return?.();
        return { value: undefined, done: true };
      }
    }
  }

  async return(): Promise<IteratorResult<never>> {
    await this.stream.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
