import { buildSchema, graphql, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatGatewayError, variableErrorDetails } from '../format-error.js';

const schema = buildSchema(/* GraphQL */ `
  enum Role {
    ADMIN
    AGENT
  }
  input AddressInput {
    city: String!
  }
  input CreateUserInput {
    email: String!
    age: Int
    role: Role
    tags: [String!]
    address: AddressInput
  }
  type Query {
    ok: Boolean
  }
  type Mutation {
    createUser(input: CreateUserInput!, first: Int): Boolean
  }
`);

/** The message graphql-js gives for these variables (as Apollo Server reports it, with BAD_USER_INPUT). */
async function variableMessage(variables: Record<string, unknown>): Promise<string> {
  const result = await graphql({
    schema,
    source: 'mutation ($input: CreateUserInput!, $first: Int) { createUser(input: $input, first: $first) }',
    variableValues: variables,
    rootValue: { createUser: () => true },
  });
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!.message;
}

describe('variableErrorDetails', () => {
  it('names a missing required input field as <variable>.<field> "is required"', async () => {
    const message = await variableMessage({ input: { age: 3 } });
    expect(variableErrorDetails(message)).toEqual([{ field: 'input.email', message: 'is required' }]);
  });

  it('names the path of a value of the wrong type and keeps graphql-js’s reason', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com', age: 'old' } });
    expect(variableErrorDetails(message)).toEqual([{ field: 'input.age', message: 'Int cannot represent non-integer value: "old"' }]);
  });

  it('names the path of an unknown enum value', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com', role: 'ROOT' } });
    expect(variableErrorDetails(message)).toEqual([{ field: 'input.role', message: 'Value "ROOT" does not exist in "Role" enum.' }]);
  });

  it('places an error inside a nested input under that input’s path', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com', address: {} } });
    expect(variableErrorDetails(message)).toEqual([{ field: 'input.address.city', message: 'is required' }]);
  });

  it('names the variable for a field the input type does not define', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com', bogus: 1 } });
    expect(variableErrorDetails(message)).toEqual([{ field: 'input', message: expect.stringMatching(/^Field "bogus" is not defined/) }]);
  });

  it('names a scalar variable of the wrong type', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com' }, first: 'ten' });
    expect(variableErrorDetails(message)).toEqual([{ field: 'first', message: 'Int cannot represent non-integer value: "ten"' }]);
  });

  it('names a required variable that was not sent', async () => {
    const message = await variableMessage({});
    expect(variableErrorDetails(message)).toEqual([{ field: 'input', message: 'is required' }]);
  });

  it('names list items with dotted indexes, as field paths elsewhere do', () => {
    expect(
      variableErrorDetails('Variable "$input" got invalid value 3 at "input.tags[1]"; String cannot represent a non string value: 3'),
    ).toEqual([{ field: 'input.tags.1', message: 'String cannot represent a non string value: 3' }]);
  });

  it('has nothing to say about messages that are not about variables', () => {
    expect(variableErrorDetails('Cannot query field "nope" on type "Query".')).toBeUndefined();
    expect(variableErrorDetails('Syntax Error: Unexpected Name "x".')).toBeUndefined();
  });
});

describe('formatGatewayError', () => {
  const located = { locations: [{ line: 1, column: 3 }], path: ['createUser'] };

  it.each(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'CHANNEL_ERROR', 'AI_ERROR'])(
    'keeps a %s domain error’s code, message, locations and path',
    (code) => {
      const formatted = formatGatewayError({ message: 'Domain says no', ...located, extensions: { code, serviceName: 'identity' } });
      expect(formatted).toEqual({ message: 'Domain says no', ...located, extensions: { code } });
    },
  );

  it('keeps the field details of a VALIDATION_ERROR', () => {
    const details = [
      { field: 'input.email', message: 'must be a valid email address' },
      { field: 'input.password', message: 'must be at least 8 characters' },
    ];
    const formatted = formatGatewayError({
      message: 'Invalid request data',
      ...located,
      extensions: { code: 'VALIDATION_ERROR', details },
    });
    expect(formatted).toEqual({ message: 'Invalid request data', ...located, extensions: { code: 'VALIDATION_ERROR', details } });
  });

  it.each([
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_USER_INPUT',
    'BAD_REQUEST',
    'OPERATION_RESOLUTION_FAILURE',
    'PERSISTED_QUERY_NOT_FOUND',
    'PERSISTED_QUERY_NOT_SUPPORTED',
  ])('answers Apollo’s request error %s as VALIDATION_ERROR with its message', (code) => {
    const formatted = formatGatewayError({
      message: 'Cannot query field "nope" on type "Query".',
      locations: located.locations,
      extensions: { code },
    });
    expect(formatted).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      locations: located.locations,
      path: undefined,
      extensions: { code: 'VALIDATION_ERROR' },
    });
  });

  it('adds field details to a BAD_USER_INPUT about variables', async () => {
    const message = await variableMessage({ input: { email: 'a@example.com', age: 'old' } });
    const formatted = formatGatewayError({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(formatted.extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'input.age', message: 'Int cannot represent non-integer value: "old"' }],
    });
    expect(formatted.message).toBe(message);
  });

  it.each<[string, GraphQLFormattedError]>([
    ['an unknown code', { message: 'connect ECONNREFUSED 10.0.0.7:5432', path: ['users'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    ['no code at all', { message: 'select * from "identity"."users" failed', path: ['users'] }],
    ['a non-string code', { message: 'TypeError: x is undefined', path: ['users'], extensions: { code: 500, stacktrace: ['at x'] } }],
  ])('answers %s as INTERNAL_ERROR without leaking the message or extensions', (_case, error) => {
    expect(formatGatewayError(error)).toEqual({
      message: 'Internal server error',
      path: ['users'],
      extensions: { code: 'INTERNAL_ERROR' },
    });
  });

  it('hides the message of a subgraph’s INTERNAL_ERROR but keeps its request id', () => {
    const formatted = formatGatewayError({
      message: 'duplicate key value violates unique constraint "users_email_unique"',
      ...located,
      extensions: { code: 'INTERNAL_ERROR', requestId: 'req-42', details: [{ field: 'email', message: 'leak' }] },
    });
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['createUser'],
      extensions: { code: 'INTERNAL_ERROR', requestId: 'req-42' },
    });
  });
});
