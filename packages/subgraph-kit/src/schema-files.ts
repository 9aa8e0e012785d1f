import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** `schema/` at the repository root: the SDL contract of every subgraph. */
export const schemaDirectory = fileURLToPath(new URL('../../../schema/', import.meta.url));

function readGraphqlFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(directory, file), 'utf8'));
}

/** The SDL of one subgraph: the shared definitions followed by its own files. */
export function subgraphSdl(name: string): string {
  return [...readGraphqlFiles(join(schemaDirectory, 'shared')), ...readGraphqlFiles(join(schemaDirectory, name))].join('\n');
}

export function loadTypeDefs(name: string): DocumentNode {
  return parse(subgraphSdl(name));
}
