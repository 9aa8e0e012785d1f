import { CustomerEntity } from './modules/customers/customer.entity.js';

/** Every entity of the support schema. */
export const entities = [CustomerEntity];
