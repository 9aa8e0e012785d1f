import { ValidationError } from '@deskgraph/errors';
import type { PagePagination } from './envelopes.js';

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** An integer query parameter within bounds; VALIDATION_ERROR names the parameter otherwise. */
export function integerParam(query: Record<string, unknown>, name: string, bounds: { min: number; max: number; fallback: number }): number {
  const raw = single(query[name]);
  if (raw === undefined || raw === '') return bounds.fallback;
  const value = /^-?\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new ValidationError([{ field: name, message: `must be an integer between ${bounds.min} and ${bounds.max}` }]);
  }
  return value;
}

export function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const raw = single(query[name]);
  return raw === undefined || raw === '' ? undefined : raw;
}

export function booleanParam(query: Record<string, unknown>, name: string): boolean | undefined {
  const raw = single(query[name]);
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ValidationError([{ field: name, message: 'must be true or false' }]);
}

/** `?tags=a&tags=b`, `?tags[]=a` or `?tags=a,b`. */
export function listParam(query: Record<string, unknown>, name: string): string[] | undefined {
  const raw = query[name] ?? query[`${name}[]`];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(',')).map((value) => value.trim());
  const list = values.filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/** Page-numbered paging (`page` from 1, `pageSize` up to 100) as connection arguments. */
export function pageParams(query: Record<string, unknown>, names = { page: 'page', pageSize: 'pageSize' }, fallbackSize = 20) {
  const page = integerParam(query, names.page, { min: 1, max: 1_000_000, fallback: 1 });
  const pageSize = integerParam(query, names.pageSize, { min: 1, max: 100, fallback: fallbackSize });
  return { page, pageSize, first: pageSize, offset: (page - 1) * pageSize };
}

export function pagePagination(totalItems: number, page: number, pageSize: number): PagePagination {
  const totalPages = Math.ceil(totalItems / pageSize);
  return { page, pageSize, totalItems, totalPages, hasNextPage: page < totalPages, hasPreviousPage: page > 1 };
}
