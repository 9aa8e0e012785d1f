import type { Connection } from '@deskgraph/database';
import type { Organization } from './organization.entity.js';

export type OrganizationConnection = Connection<Organization>;
