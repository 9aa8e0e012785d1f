import { describe, expect, it } from 'vitest';
import { applyChanges } from '../changes.js';

describe('applyChanges', () => {
  it('sets only fields that differ by value and reports them with both values', () => {
    const entity = { name: 'Ada', tags: ['a', 'b'], extra: { x: 1 }, note: 'kept' as string | null };
    const changed = applyChanges(entity, { name: 'Ada', tags: ['a', 'b', 'c'], extra: { x: 1 }, note: undefined });
    expect(changed).toEqual({ tags: { from: ['a', 'b'], to: ['a', 'b', 'c'] } });
    expect(entity).toEqual({ name: 'Ada', tags: ['a', 'b', 'c'], extra: { x: 1 }, note: 'kept' });
  });

  it('treats null as a value that clears, and undefined as leave alone', () => {
    const entity = { note: 'old' as string | null, other: 'same' };
    expect(applyChanges(entity, { note: null, other: undefined })).toEqual({ note: { from: 'old', to: null } });
    expect(entity.note).toBeNull();
  });
});
