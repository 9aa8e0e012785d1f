import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_PATH } from '../../server.js';
import { restRoutes } from '../routes.js';

const apiSchema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();

describe('the REST route table', () => {
  it.each(restRoutes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s runs an operation that is valid against the supergraph',
    (_name, route) => {
      expect(validate(apiSchema, parse(route.operation)).map((error) => error.message)).toEqual([]);
    },
  );

  it('declares each method and path once', () => {
    const keys = restRoutes.map((route) => `${route.method} ${route.path}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });
});
