import { z } from 'zod';

/**
 * Parses the process environment against a zod schema and reports every
 * problem at once, so an operator fixes the configuration in one pass.
 */
export function parseEnvironment<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.output<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`).join('\n');
  throw new Error(`Invalid configuration:\n${problems}`);
}

/** `true`/`1`/`yes` and `false`/`0`/`no`, as environment variables spell booleans. */
export const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
