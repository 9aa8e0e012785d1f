import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const identityKinds = ['email', 'phone', 'social', 'device'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/**
 * One way to recognise a customer: an email, a phone number (E.164), a social network id
 * or a device fingerprint. Within a tenant each identity belongs to exactly one customer.
 */
export const CustomerIdentityEntity = defineEntity({
  name: 'CustomerIdentity',
  tableName: 'customer_identities',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    customerId: p.uuid(),
    kind: p.enum([...identityKinds]),
    /** The social network (`facebook`, `twitter`, `whatsapp`, ...); empty for the other kinds. */
    network: p.string().length(50).default(''),
    /** Normalised: lower-case email, E.164 phone, the network's id, the fingerprint. */
    value: p.string().length(320),
    isPrimary: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  uniques: [{ name: 'customer_identities_unique', properties: ['tenantId', 'kind', 'network', 'value'] }],
  indexes: [
    { name: 'customer_identities_customer_idx', properties: ['customerId'] },
    {
      name: 'customer_identities_value_trgm_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} using gin ("${columns.value}" gin_trgm_ops)`,
    },
  ],
});
export type CustomerIdentity = InferEntity<typeof CustomerIdentityEntity>;
