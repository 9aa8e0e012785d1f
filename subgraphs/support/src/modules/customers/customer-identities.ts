import { z } from 'zod';
import { email, phoneE164 } from '@deskgraph/validation';
import type { CustomerIdentity, IdentityKind } from './customer-identity.entity.js';

/** An identity as stored: normalised value, network only for social accounts (else ''). */
export interface IdentityKey {
  kind: IdentityKind;
  network: string;
  value: string;
}

/** Identities listed per field of an input, in the order given; the first of each kind becomes primary. */
export interface NewIdentity extends IdentityKey {
  isPrimary: boolean;
}

/** The 000 document's `identityGraph`. */
export interface IdentityGraphView {
  emails: string[];
  phoneNumbers: string[];
  socialIds: Record<string, string>;
  socialAccounts: { network: string; id: string }[];
  deviceFingerprints: string[];
}

export const networkName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { message: 'is required' })
  .max(50)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a network name such as facebook or whatsapp' });

export const socialAccountId = z.string().trim().min(1, { message: 'is required' }).max(320);
export const deviceFingerprint = z.string().trim().min(1, { message: 'is required' }).max(320);
export const socialIdInput = z.object({ network: networkName, id: socialAccountId });

/** How each kind's value is normalised on the way in: lower-case email, E.164 phone, trimmed ids. */
export const identityValue: Record<IdentityKind, z.ZodType<string, string>> = {
  email,
  phone: phoneE164,
  social: socialAccountId,
  device: deviceFingerprint,
};

export function identityKey(identity: IdentityKey): string {
  return `${identity.kind}\u0000${identity.network}\u0000${identity.value}`;
}

/** `email ada@example.com`, `facebook id 123`: how errors name an identity. */
export function describeIdentity(identity: IdentityKey): string {
  switch (identity.kind) {
    case 'email':
      return `email ${identity.value}`;
    case 'phone':
      return `phone number ${identity.value}`;
    case 'social':
      return `${identity.network} id ${identity.value}`;
    case 'device':
      return `device fingerprint ${identity.value}`;
  }
}

/**
 * The identities of a new customer, de-duplicated after normalisation (the first mention
 * wins); the first identity of each kind is the primary one.
 */
export function collectIdentities(identities: IdentityKey[]): NewIdentity[] {
  const seen = new Set<string>();
  const primaryKinds = new Set<IdentityKind>();
  const collected: NewIdentity[] = [];
  for (const identity of identities) {
    const key = identityKey(identity);
    if (seen.has(key)) continue;
    seen.add(key);
    collected.push({ ...identity, isPrimary: !primaryKinds.has(identity.kind) });
    primaryKinds.add(identity.kind);
  }
  return collected;
}

/** Primary identities first, then the oldest; ties by value, so the order is stable. */
export function sortIdentities<T extends CustomerIdentity>(identities: T[]): T[] {
  return [...identities].sort(
    (a, b) =>
      Number(b.isPrimary) - Number(a.isPrimary) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.kind.localeCompare(b.kind) ||
      a.network.localeCompare(b.network) ||
      a.value.localeCompare(b.value),
  );
}

/** The value to show for a kind: its primary identity, else the oldest. Expects sorted identities. */
export function primaryValue(identities: CustomerIdentity[], kind: IdentityKind): string | null {
  return identities.find((identity) => identity.kind === kind)?.value ?? null;
}

/** Groups sorted identities by kind; `socialIds` keeps the primary (or oldest) id of each network. */
export function identityGraph(identities: CustomerIdentity[]): IdentityGraphView {
  const graph: IdentityGraphView = { emails: [], phoneNumbers: [], socialIds: {}, socialAccounts: [], deviceFingerprints: [] };
  for (const identity of identities) {
    switch (identity.kind) {
      case 'email':
        graph.emails.push(identity.value);
        break;
      case 'phone':
        graph.phoneNumbers.push(identity.value);
        break;
      case 'social':
        graph.socialAccounts.push({ network: identity.network, id: identity.value });
        graph.socialIds[identity.network] ??= identity.value;
        break;
      case 'device':
        graph.deviceFingerprints.push(identity.value);
        break;
    }
  }
  return graph;
}
