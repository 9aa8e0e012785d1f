import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A piece of SQL with its values, built with the `sql` tag. Values become `?` placeholders
 * that MikroORM escapes; nested fragments are spliced in. An array value expands to a
 * comma-separated list (`in (${ids})`, `array[${tags}]`), so it must not be empty.
 */
export interface Sql {
  readonly text: string;
  readonly params: readonly unknown[];
}

const SQL = Symbol('sql');

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && SQL in value;
}

function fragment(text: string, params: readonly unknown[]): Sql {
  return { [SQL]: true, text, params } as Sql;
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((value, index) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      if (Array.isArray(value) && value.length === 0) throw new Error('An empty list cannot be a SQL value');
      text += '?';
      params.push(value);
    }
    text += strings[index + 1]!;
  });
  return fragment(text, params);
}

/** Trusted SQL text (identifiers and keywords chosen by the code, never by a client). */
export function raw(text: string): Sql {
  return fragment(text, []);
}

export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return fragment(
    parts.map((part) => part.text).join(separator),
    parts.flatMap((part) => part.params),
  );
}

/** `a and b and c`, or `true` for no conditions. */
export function and(conditions: readonly Sql[]): Sql {
  return conditions.length === 0 ? raw('true') : joinSql(conditions, ' and ');
}

/** A `%...%` ILIKE pattern matching `text` literally (`%`, `_` and `\` escaped). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** A table of the subgraph's schema, quoted: `"support"."messages"`. */
export function table(em: EntityManager, name: string): Sql {
  const schema = em.config.get('schema') ?? 'public';
  return raw(`"${schema}"."${name}"`);
}

/** Runs a query in the EntityManager's transaction, if any. */
export function query<T = Record<string, unknown>>(em: EntityManager, statement: Sql): Promise<T[]> {
  return em.execute<T[]>(statement.text, [...statement.params]) as Promise<T[]>;
}
