export interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL POST; the raw text too, since the load generator compares bodies byte for byte. */
export async function postGraphql<T>(
  url: string,
  query: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; body: GraphqlBody<T> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: GraphqlBody<T>;
  try {
    body = JSON.parse(text) as GraphqlBody<T>;
  } catch {
    throw new Error(`${url} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
  return { status: response.status, text, body };
}

/** One REST call with a JSON body; throws unless the status is the expected one. */
export async function postRest<T>(url: string, body: unknown, expectedStatus: number, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== expectedStatus) throw new Error(`POST ${url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
