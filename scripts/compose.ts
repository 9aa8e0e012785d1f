/**
 * `pnpm compose` writes schema/supergraph.graphql; `pnpm compose:check` fails when the
 * checked-in file differs from a fresh composition, or composition reports an error or a
 * hint that schema/accepted-hints.json does not accept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SUPERGRAPH_FILE, composeSupergraph } from './composition.js';

const check = process.argv.includes('--check');
const outcome = composeSupergraph();
for (const error of outcome.errors) console.error(`composition error: ${error}`);
for (const hint of outcome.unacceptedHints) console.error(`composition hint (not accepted): ${hint}`);
if (!outcome.supergraphSdl || outcome.unacceptedHints.length > 0) process.exit(1);

if (check) {
  const current = readFileSync(SUPERGRAPH_FILE, 'utf8');
  if (current !== outcome.supergraphSdl) {
    console.error('schema/supergraph.graphql is out of date: run `pnpm compose` and commit it');
    process.exit(1);
  }
  console.log('supergraph is up to date');
} else {
  writeFileSync(SUPERGRAPH_FILE, outcome.supergraphSdl);
  console.log(`wrote ${SUPERGRAPH_FILE}`);
}
