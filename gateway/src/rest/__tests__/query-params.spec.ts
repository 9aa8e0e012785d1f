import { describe, expect, it } from 'vitest';
import { ValidationError } from '@deskgraph/errors';
import { booleanParam, integerParam, listParam, pagePagination, pageParams, stringParam } from '../query-params.js';

function validationDetails(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details;
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('integerParam', () => {
  const bounds = { min: 1, max: 100, fallback: 20 };

  it('reads an integer within bounds, the first of repeated values, and falls back when absent or empty', () => {
    expect(integerParam({ size: '42' }, 'size', bounds)).toBe(42);
    expect(integerParam({ size: ['7', '9'] }, 'size', bounds)).toBe(7);
    expect(integerParam({}, 'size', bounds)).toBe(20);
    expect(integerParam({ size: '' }, 'size', bounds)).toBe(20);
    expect(integerParam({ size: '1' }, 'size', bounds)).toBe(1);
    expect(integerParam({ size: '100' }, 'size', bounds)).toBe(100);
  });

  it.each(['0', '101', '-5', '2.5', 'ten', '1e9', '0x10', '1e1', ' 5'])('refuses %j naming the parameter and its bounds', (raw) => {
    expect(validationDetails(() => integerParam({ size: raw }, 'size', bounds))).toEqual([
      { field: 'size', message: 'must be an integer between 1 and 100' },
    ]);
  });
});

describe('stringParam and booleanParam', () => {
  it('reads strings, treating empty as absent', () => {
    expect(stringParam({ q: 'ada' }, 'q')).toBe('ada');
    expect(stringParam({ q: ['first', 'second'] }, 'q')).toBe('first');
    expect(stringParam({ q: '' }, 'q')).toBeUndefined();
    expect(stringParam({}, 'q')).toBeUndefined();
  });

  it('reads true/1 and false/0, and refuses anything else naming the parameter', () => {
    expect(booleanParam({ active: 'true' }, 'active')).toBe(true);
    expect(booleanParam({ active: '1' }, 'active')).toBe(true);
    expect(booleanParam({ active: 'false' }, 'active')).toBe(false);
    expect(booleanParam({ active: '0' }, 'active')).toBe(false);
    expect(booleanParam({}, 'active')).toBeUndefined();
    expect(validationDetails(() => booleanParam({ active: 'yes' }, 'active'))).toEqual([
      { field: 'active', message: 'must be true or false' },
    ]);
  });
});

describe('listParam', () => {
  it.each([
    ['repeated keys', { tags: ['vip', 'billing'] }],
    ['bracketed keys', { 'tags[]': ['vip', 'billing'] }],
    ['one comma-separated value', { tags: 'vip,billing' }],
    ['commas with spaces and empties', { tags: ' vip , ,billing,' }],
    ['mixed forms', { tags: ['vip', 'billing,'] }],
  ])('reads %s', (_form, query) => {
    expect(listParam(query, 'tags')).toEqual(['vip', 'billing']);
  });

  it('reads a single value as a one-item list', () => {
    expect(listParam({ tags: 'vip' }, 'tags')).toEqual(['vip']);
  });

  it('is undefined when the parameter is absent or has no values', () => {
    expect(listParam({}, 'tags')).toBeUndefined();
    expect(listParam({ tags: '' }, 'tags')).toBeUndefined();
    expect(listParam({ tags: ' , ' }, 'tags')).toBeUndefined();
  });
});

describe('pageParams', () => {
  it('defaults to the first page of 20', () => {
    expect(pageParams({})).toEqual({ page: 1, pageSize: 20, first: 20, offset: 0 });
  });

  it('turns page and pageSize into first and offset', () => {
    expect(pageParams({ page: '3', pageSize: '25' })).toEqual({ page: 3, pageSize: 25, first: 25, offset: 50 });
  });

  it('reads the document’s own parameter names and default size', () => {
    expect(pageParams({ p: '2', per_page: '5' }, { page: 'p', pageSize: 'per_page' }, 50)).toEqual({
      page: 2,
      pageSize: 5,
      first: 5,
      offset: 5,
    });
    expect(pageParams({}, { page: 'p', pageSize: 'per_page' }, 50)).toMatchObject({ pageSize: 50, first: 50 });
  });

  it('refuses a page below 1 or a page size above 100, naming the parameter', () => {
    expect(validationDetails(() => pageParams({ page: '0' }))).toEqual([
      { field: 'page', message: 'must be an integer between 1 and 1000000' },
    ]);
    expect(validationDetails(() => pageParams({ pageSize: '101' }))).toEqual([
      { field: 'pageSize', message: 'must be an integer between 1 and 100' },
    ]);
    expect(validationDetails(() => pageParams({ per_page: '0' }, { page: 'p', pageSize: 'per_page' }))).toEqual([
      { field: 'per_page', message: 'must be an integer between 1 and 100' },
    ]);
  });
});

describe('pagePagination', () => {
  it('describes a middle page', () => {
    expect(pagePagination(35, 2, 10)).toEqual({
      page: 2,
      pageSize: 10,
      totalItems: 35,
      totalPages: 4,
      hasNextPage: true,
      hasPreviousPage: true,
    });
  });

  it('describes the first and the last page', () => {
    expect(pagePagination(35, 1, 10)).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(pagePagination(35, 4, 10)).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(pagePagination(40, 4, 10)).toMatchObject({ totalPages: 4, hasNextPage: false });
  });

  it('describes an empty result as zero pages', () => {
    expect(pagePagination(0, 1, 20)).toEqual({
      page: 1,
      pageSize: 20,
      totalItems: 0,
      totalPages: 0,
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });
});
