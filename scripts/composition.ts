import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphNames, subgraphSdl } from '@deskgraph/subgraph-kit';

export const SUPERGRAPH_FILE = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));
const ACCEPTED_HINTS_FILE = fileURLToPath(new URL('../schema/accepted-hints.json', import.meta.url));

interface AcceptedHint {
  code: string;
  /** A substring of the hint's message that identifies it. */
  message: string;
  /** Why this hint is fine. */
  reason: string;
}

export interface CompositionOutcome {
  supergraphSdl: string | null;
  errors: string[];
  /** Hints not listed in schema/accepted-hints.json. */
  unacceptedHints: string[];
}

/** Composes every subgraph's SDL into the supergraph the gateway loads. */
export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(subgraphNames.map((name) => ({ name, typeDefs: parse(subgraphSdl(name)), url: `in-process://${name}` })));
  const accepted = JSON.parse(readFileSync(ACCEPTED_HINTS_FILE, 'utf8')) as AcceptedHint[];
  const unacceptedHints = (result.hints ?? [])
    .filter((hint) => !accepted.some((known) => known.code === hint.definition.code && hint.message.includes(known.message)))
    .map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) return { supergraphSdl: null, errors: result.errors.map((error) => error.message), unacceptedHints };
  return { supergraphSdl: result.supergraphSdl, errors: [], unacceptedHints };
}
