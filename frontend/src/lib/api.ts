/** A small fetch client: bearer token, JSON bodies, RFC 9457 problem details surfaced as typed errors. */

export interface FieldError {
  field: string;
  message: string;
}

/** The server answered with an error status; `code` is the stable UPPER_SNAKE_CASE code of the problem. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** The server could not be reached, timed out, or answered with something that is not our JSON. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly code: 'NETWORK_ERROR' | 'TIMEOUT' | 'BAD_RESPONSE',
    message: string,
  ) {
    super(message);
  }
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiOptions {
  baseUrl?: string;
  getToken?: () => string | null;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Told about every error answer (the lane locks itself on 401 SESSION_LOCKED). */
  onProblem?: (error: ApiError) => void;
}

export interface RequestOptions {
  /** Required by the API on every request that changes money or stock. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  del<T>(path: string, options?: RequestOptions): Promise<T>;
  /** POST a body that is not JSON (a CSV file): `contentType` says what it is. */
  postRaw<T>(path: string, body: string | Blob, contentType: string, options?: RequestOptions): Promise<T>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function fieldErrors(v: unknown): FieldError[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((e) => ({ field: str(e['field']) ?? '', message: str(e['message']) ?? '' }));
}

/** Build the typed error for a non-2xx response, reading problem+json when the body is one. */
export async function problemFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    body = await response.json().catch(() => null);
  }
  const p = isObject(body) ? body : {};
  const code = str(p['code']) ?? `HTTP_${response.status}`;
  const message = str(p['detail']) ?? str(p['title']) ?? (response.statusText || code);
  return new ApiError(response.status, code, message, str(p['requestId']), fieldErrors(p['errors']));
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    throw new NetworkError('BAD_RESPONSE', `expected JSON, got ${response.headers.get('content-type') ?? 'nothing'}`);
  }
  try {
    return await response.json();
  } catch {
    throw new NetworkError('BAD_RESPONSE', 'invalid JSON in response');
  }
}

function headersFor(token: string | null, contentType: string | null, key: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (key) headers['Idempotency-Key'] = key;
  return headers;
}

function timeoutSignal(ms: number, outer: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([outer, timeout]) : timeout;
}

export function createApi(options: ApiOptions = {}): ApiClient {
  const { baseUrl = '', getToken = () => null, timeoutMs = 10_000 } = options;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    opts: RequestOptions,
    raw: { body: string | Blob; type: string } | null = null,
  ): Promise<T> {
    const hasBody = body !== undefined;
    const init: RequestInit = {
      method,
      headers: headersFor(getToken(), raw ? raw.type : hasBody ? 'application/json' : null, opts.idempotencyKey),
      signal: timeoutSignal(timeoutMs, opts.signal),
    };
    if (raw) init.body = raw.body;
    else if (hasBody) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, init);
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === 'TimeoutError';
      throw new NetworkError(timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
    }
    if (!response.ok) {
      const problem = await problemFrom(response);
      options.onProblem?.(problem);
      throw problem;
    }
    return (await readJson(response)) as T;
  }

  return {
    get: (path, opts = {}) => request('GET', path, undefined, opts),
    post: (path, body, opts = {}) => request('POST', path, body, opts),
    patch: (path, body, opts = {}) => request('PATCH', path, body, opts),
    del: (path, opts = {}) => request('DELETE', path, undefined, opts),
    postRaw: (path, body, type, opts = {}) => request('POST', path, undefined, opts, { body, type }),
  };
}

/** A short, stable code for any error thrown by the client (for the UI and the outbox). */
export function errorCode(e: unknown): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.code;
  return 'UNEXPECTED';
}
