import { NotFoundError } from '@deskgraph/errors';
import { pick } from '../identity-shapes.js';
import { integerParam, listParam, pagePagination, stringParam } from '../query-params.js';
import { route, type RestRequest } from '../route.js';
import { CUSTOMER_FIELDS, customerInput, presentFlatCustomer, type CustomerData } from '../support-shapes.js';

/** The 004 document's customers and organizations under `/api/v1`. */

const ORGANIZATION_FIELDS = 'id name industry size address customFields customerCount createdAt updatedAt';

interface OrganizationData {
  id: string;
  name: string;
  industry: string | null;
  size: string | null;
  address: string | null;
  customFields: Record<string, unknown>;
  customerCount: number;
  createdAt: string;
  updatedAt: string;
}

function paging(request: RestRequest) {
  const page = integerParam(request.query, 'page', { min: 1, max: 1_000_000, fallback: 1 });
  const limit = integerParam(request.query, 'limit', { min: 1, max: 100, fallback: 20 });
  return { page, limit, first: limit, offset: (page - 1) * limit };
}

function found<T>(value: T | null, resource: string, id: string | undefined): T {
  if (value === null) throw new NotFoundError(resource, id);
  return value;
}

const organizationInput = (body: Record<string, unknown>) => pick(body, ['name', 'industry', 'size', 'address', 'customFields']);

export const sociamaticCustomerRoutes = [
  route<{ customers: { totalCount: number; nodes: CustomerData[] } }>({
    method: 'get',
    path: '/api/v1/customers',
    family: '004',
    operation: `query RestFlatCustomers($first: Int, $offset: Int, $filter: CustomerFilter) {
      customers(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...RestCustomer } }
    } ${CUSTOMER_FIELDS}`,
    variables: (request) => {
      const { first, offset } = paging(request);
      return {
        first,
        offset,
        filter: {
          search: stringParam(request.query, 'search'),
          organizationId: stringParam(request.query, 'organizationId'),
          tags: listParam(request.query, 'tags'),
        },
      };
    },
    respond: (data, request) => {
      const { page, limit } = paging(request);
      return { body: data.customers.nodes.map(presentFlatCustomer), pagination: pagePagination(data.customers.totalCount, page, limit) };
    },
  }),
  route<{ customer: CustomerData | null }>({
    method: 'get',
    path: '/api/v1/customers/:id',
    family: '004',
    operation: `query RestFlatCustomer($id: ID!) { customer(id: $id) { ...RestCustomer } } ${CUSTOMER_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: presentFlatCustomer(found(data.customer, 'Customer', params.id)) }),
  }),
  route<{ createCustomer: CustomerData }>({
    method: 'post',
    path: '/api/v1/customers',
    family: '004',
    status: 201,
    operation: `mutation RestFlatCreateCustomer($input: CreateCustomerInput!) { createCustomer(input: $input) { ...RestCustomer } } ${CUSTOMER_FIELDS}`,
    variables: ({ body }) => ({ input: customerInput(body, true) }),
    respond: (data) => ({ body: presentFlatCustomer(data.createCustomer) }),
  }),
  route<{ updateCustomer: CustomerData }>({
    method: 'put',
    path: '/api/v1/customers/:id',
    family: '004',
    operation: `mutation RestFlatUpdateCustomer($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ...RestCustomer } } ${CUSTOMER_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: customerInput(body, false) }),
    respond: (data) => ({ body: presentFlatCustomer(data.updateCustomer) }),
  }),
  route<{ deleteCustomer: boolean }>({
    method: 'delete',
    path: '/api/v1/customers/:id',
    family: '004',
    operation: `mutation RestFlatDeleteCustomer($id: ID!) { deleteCustomer(id: $id) }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: { id: params.id, deleted: data.deleteCustomer } }),
  }),
  route<{ organizations: { totalCount: number; nodes: OrganizationData[] } }>({
    method: 'get',
    path: '/api/v1/organizations',
    family: '004',
    operation: `query RestOrganizations($first: Int, $offset: Int, $search: String) {
      organizations(first: $first, offset: $offset, search: $search) { totalCount nodes { ${ORGANIZATION_FIELDS} } }
    }`,
    variables: (request) => {
      const { first, offset } = paging(request);
      return { first, offset, search: stringParam(request.query, 'search') };
    },
    respond: (data, request) => {
      const { page, limit } = paging(request);
      return { body: data.organizations.nodes, pagination: pagePagination(data.organizations.totalCount, page, limit) };
    },
  }),
  route<{ organization: OrganizationData | null }>({
    method: 'get',
    path: '/api/v1/organizations/:id',
    family: '004',
    operation: `query RestOrganization($id: ID!) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: found(data.organization, 'Organization', params.id) }),
  }),
  route<{ createOrganization: OrganizationData }>({
    method: 'post',
    path: '/api/v1/organizations',
    family: '004',
    status: 201,
    operation: `mutation RestCreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORGANIZATION_FIELDS} } }`,
    variables: ({ body }) => ({ input: organizationInput(body) }),
    respond: (data) => ({ body: data.createOrganization }),
  }),
  route<{ updateOrganization: OrganizationData }>({
    method: 'put',
    path: '/api/v1/organizations/:id',
    family: '004',
    operation: `mutation RestUpdateOrganization($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { ${ORGANIZATION_FIELDS} } }`,
    variables: ({ params, body }) => ({ id: params.id, input: organizationInput(body) }),
    respond: (data) => ({ body: data.updateOrganization }),
  }),
  route<{ deleteOrganization: boolean }>({
    method: 'delete',
    path: '/api/v1/organizations/:id',
    family: '004',
    operation: `mutation RestDeleteOrganization($id: ID!) { deleteOrganization(id: $id) }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: { id: params.id, deleted: data.deleteOrganization } }),
  }),
];
