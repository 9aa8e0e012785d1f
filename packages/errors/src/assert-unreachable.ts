/** Makes a `switch` exhaustive: a new union member fails the type check here. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
