import { describe, expect, it } from 'vitest';
import { collectIdentities, identityGraph, primaryValue, sortIdentities } from '../customer-identities.js';
import type { CustomerIdentity } from '../customer-identity.entity.js';
import { containsPattern, searchPatterns } from '../customer.repository.js';

function stored(
  kind: CustomerIdentity['kind'],
  value: string,
  options: { network?: string; isPrimary?: boolean; at?: number } = {},
): CustomerIdentity {
  return {
    id: `${kind}-${value}`,
    tenantId: 't',
    customerId: 'c',
    kind,
    network: options.network ?? '',
    value,
    isPrimary: options.isPrimary ?? false,
    createdAt: new Date(options.at ?? 0),
  } as CustomerIdentity;
}

describe('collecting the identities of a new customer', () => {
  it('keeps the first mention of each identity and makes the first of each kind primary', () => {
    expect(
      collectIdentities([
        { kind: 'email', network: '', value: 'a@example.com' },
        { kind: 'email', network: '', value: 'b@example.com' },
        { kind: 'email', network: '', value: 'a@example.com' },
        { kind: 'social', network: 'facebook', value: '1' },
        { kind: 'social', network: 'twitter', value: '1' },
      ]),
    ).toEqual([
      { kind: 'email', network: '', value: 'a@example.com', isPrimary: true },
      { kind: 'email', network: '', value: 'b@example.com', isPrimary: false },
      { kind: 'social', network: 'facebook', value: '1', isPrimary: true },
      { kind: 'social', network: 'twitter', value: '1', isPrimary: false },
    ]);
  });
});

describe('the identity graph', () => {
  it('lists primary identities first, then the oldest, grouped by kind with one social id per network', () => {
    const identities = sortIdentities([
      stored('email', 'old@example.com', { at: 1 }),
      stored('email', 'main@example.com', { isPrimary: true, at: 5 }),
      stored('social', 'fb-2', { network: 'facebook', at: 3 }),
      stored('social', 'fb-1', { network: 'facebook', isPrimary: true, at: 4 }),
      stored('device', 'fp', { isPrimary: true, at: 2 }),
    ]);
    expect(primaryValue(identities, 'email')).toBe('main@example.com');
    expect(primaryValue(identities, 'phone')).toBeNull();
    expect(identityGraph(identities)).toEqual({
      emails: ['main@example.com', 'old@example.com'],
      phoneNumbers: [],
      socialIds: { facebook: 'fb-1' },
      socialAccounts: [
        { network: 'facebook', id: 'fb-1' },
        { network: 'facebook', id: 'fb-2' },
      ],
      deviceFingerprints: ['fp'],
    });
  });
});

describe('search patterns', () => {
  it('escapes the wildcards of LIKE', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('matches a phone-looking search by its digits, without a trunk prefix, and by its E.164 form', () => {
    expect(searchPatterns(' (415) 555-2671 ')).toEqual({
      name: '%(415) 555-2671%',
      identities: ['%(415) 555-2671%', '%4155552671%'],
    });
    expect(searchPatterns('+1 415 555 2671').identities).toEqual(['%+1 415 555 2671%', '%14155552671%', '%+14155552671%']);
    expect(searchPatterns('0044 20 7946 0958').identities).toEqual(['%0044 20 7946 0958%', '%00442079460958%', '%442079460958%']);
    expect(searchPatterns('ada').identities).toEqual(['%ada%']);
  });
});
