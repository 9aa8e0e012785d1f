import { TenantActivityEntity } from './modules/tenant-activity/tenant-activity.entity.js';

/** Every entity of the analytics schema. */
export const entities = [TenantActivityEntity];
