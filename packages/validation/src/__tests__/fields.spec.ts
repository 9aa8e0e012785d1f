import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  email,
  isUuid,
  languageTag,
  normalizePhone,
  password,
  personName,
  phoneE164,
  tags,
  timezone,
  trimmedText,
  uuid,
} from '../index.js';

/** The messages of a failed parse, keyed by dotted path. */
function issuesOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('email', () => {
  it('trims and lower-cases a valid address', () => {
    expect(email.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it.each(['not-an-email', 'a@', '@example.com', ''])('refuses %j with one message', (value) => {
    expect(issuesOf(email, value)).toEqual({ '': 'must be a valid email address' });
  });

  it('refuses addresses longer than 320 characters', () => {
    expect(email.safeParse(`${'a'.repeat(320)}@example.com`).success).toBe(false);
  });
});

describe('password and names', () => {
  it('accepts 8 to 128 characters', () => {
    expect(password.parse('12345678')).toBe('12345678');
    expect(password.parse('x'.repeat(128))).toHaveLength(128);
    expect(issuesOf(password, 'short')).toEqual({ '': 'must be at least 8 characters' });
    expect(issuesOf(password, 'x'.repeat(129))).toEqual({ '': 'must be at most 128 characters' });
  });

  it('trims person names and requires one', () => {
    expect(personName.parse('  Grace  ')).toBe('Grace');
    expect(issuesOf(personName, '   ')).toEqual({ '': 'is required' });
  });

  it('trims text before applying its maximum', () => {
    expect(trimmedText(3).parse('  abc  ')).toBe('abc');
    expect(trimmedText(3).safeParse('abcd').success).toBe(false);
  });
});

describe('phoneE164', () => {
  it.each([
    ['+1 (415) 555-2671', '+14155552671'],
    ['+14155552671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49 30 901820', '+4930901820'],
  ])('normalises %j to %j', (input, expected) => {
    expect(phoneE164.parse(input)).toBe(expected);
  });

  it.each(['415 555 2671', 'call me', '+1 555', ''])('refuses %j with the documented message', (value) => {
    expect(issuesOf(phoneE164, value)).toEqual({ '': 'must be a valid phone number in international format, e.g. +14155552671' });
  });

  it('reports the phone field inside an object', () => {
    expect(issuesOf(z.object({ phone: phoneE164 }), { phone: '12' })).toHaveProperty('phone');
  });

  it('normalises national numbers only with a default country', () => {
    expect(normalizePhone('(415) 555-2671')).toBeNull();
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('030 901820', 'DE')).toBe('+4930901820');
  });
});

describe('timezone', () => {
  it.each(['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'])('accepts %j', (value) => {
    expect(timezone.parse(value)).toBe(value);
  });

  it.each(['Mars/Olympus', 'Europe/Atlantis', 'not a zone'])('refuses %j', (value) => {
    expect(issuesOf(timezone, value)).toEqual({ '': 'must be an IANA time zone, e.g. America/New_York' });
  });
});

describe('languageTag', () => {
  it.each(['en', 'de-AT', 'zh-Hant-TW', 'pt-BR'])('accepts %j', (value) => {
    expect(languageTag.parse(value)).toBe(value);
  });

  it.each(['', 'english!', 'en_US', '12'])('refuses %j', (value) => {
    expect(issuesOf(languageTag, value)).toEqual({ '': 'must be a BCP 47 language tag, e.g. en or de-AT' });
  });
});

describe('tags', () => {
  it('trims, lower-cases and removes duplicates, keeping first-seen order', () => {
    expect(tags.parse(['Billing', ' billing ', 'VIP', 'vip', 'technical'])).toEqual(['billing', 'vip', 'technical']);
  });

  it('refuses empty labels and labels over 64 characters, naming their index', () => {
    expect(Object.keys(issuesOf(tags, ['ok', '  ', 'x'.repeat(65)])).sort()).toEqual(['1', '2']);
  });

  it('refuses more than 100 labels', () => {
    expect(tags.safeParse(Array.from({ length: 101 }, (_, index) => `t${index}`)).success).toBe(false);
  });
});

describe('isUuid and uuid', () => {
  it('recognises UUIDs in either case', () => {
    expect(isUuid('0b0f6c8e-5a4d-4b7e-9c1a-2f3e4d5c6b7a')).toBe(true);
    expect(isUuid('0B0F6C8E-5A4D-4B7E-9C1A-2F3E4D5C6B7A')).toBe(true);
  });

  it.each([['not-a-uuid'], ['0b0f6c8e5a4d4b7e9c1a2f3e4d5c6b7a'], ['0b0f6c8e-5a4d-4b7e-9c1a-2f3e4d5c6b7a '], [42], [null], [undefined]])(
    'refuses %j',
    (value) => {
      expect(isUuid(value)).toBe(false);
    },
  );

  it('gives the uuid schema a readable message', () => {
    expect(issuesOf(uuid, 'abc')).toEqual({ '': 'must be a UUID' });
  });
});
