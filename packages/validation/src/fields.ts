import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

/** Field schemas shared by every subgraph, so one rule means one message everywhere. */

export const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((value) => value.toLowerCase());

export const password = z
  .string()
  .min(8, { message: 'must be at least 8 characters' })
  .max(128, { message: 'must be at most 128 characters' });

export const personName = z.string().trim().min(1, { message: 'is required' }).max(100);

export function trimmedText(max: number) {
  return z.string().trim().max(max);
}

/** Phone numbers in E.164 (`+14155552671`); national numbers need `defaultCountry`. */
export function normalizePhone(value: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(value, defaultCountry as Parameters<typeof parsePhoneNumberFromString>[1]);
  return parsed?.isValid() ? parsed.number : null;
}

export const phoneE164 = z.string().transform((value, context) => {
  const normalized = normalizePhone(value);
  if (!normalized) {
    context.addIssue({ code: 'custom', message: 'must be a valid phone number in international format, e.g. +14155552671' });
    return z.NEVER;
  }
  return normalized;
});

export const timezone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone, e.g. America/New_York' },
);

export const languageTag = z.string().refine(
  (value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1;
    } catch {
      return false;
    }
  },
  { message: 'must be a BCP 47 language tag, e.g. en or de-AT' },
);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (callers answer NOT_FOUND, not a SQL error). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export const uuid = z.string().refine(isUuid, { message: 'must be a UUID' });

/** Lower-cased, trimmed, de-duplicated labels (tags, skills, segments). */
export const tags = z
  .array(z.string().trim().min(1).max(64))
  .max(100)
  .transform((values) => [...new Set(values.map((value) => value.toLowerCase()))]);
