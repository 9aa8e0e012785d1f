import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE, composeSupergraph } from './composition.js';

describe('supergraph composition', () => {
  const outcome = composeSupergraph();

  it('composes every subgraph without errors or unaccepted hints', () => {
    expect(outcome.errors).toEqual([]);
    expect(outcome.unacceptedHints).toEqual([]);
  });

  it('matches the checked-in schema/supergraph.graphql', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(outcome.supergraphSdl);
  });
});
