import { describe, expect, it } from 'vitest';
import { ApiError, createApi, errorCode, NetworkError, type FetchLike } from './api';
import { loginPin, productByBarcode, productName, searchProducts, type Product } from './pos-api';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return respond({ url, init });
    },
  };
}

const json = (body: unknown, status = 200, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const headers = (call: Call | undefined): Record<string, string> =>
  (call?.init.headers ?? {}) as Record<string, string>;

const rice: Product = {
  id: 7,
  sku: 'RICE-5',
  names: { en: 'Rice 5 kg', si: 'සහල් 5 kg' },
  unit: 'pc',
  weighed: false,
  prices: { retail: 125000 },
};

describe('api client', () => {
  it('sends the bearer token and JSON, and returns the parsed body', async () => {
    const f = fakeFetch(() => json({ token: 'tok', user: { id: 1, displayName: 'Nimal', role: 'cashier' } }));
    const api = createApi({ fetch: f.fetch, getToken: () => 'abc' });
    const session = await loginPin(api, '1234', 'LANE-1');
    expect(session.user.displayName).toBe('Nimal');
    expect(f.calls[0]?.url).toBe('/api/auth/login/pin');
    expect(f.calls[0]?.init.method).toBe('POST');
    expect(f.calls[0]?.init.body).toBe('{"pin":"1234","terminal":"LANE-1"}');
    expect(headers(f.calls[0])).toMatchObject({ Authorization: 'Bearer abc', 'Content-Type': 'application/json' });
  });

  it('omits Authorization without a token and adds the Idempotency-Key when given', async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    const api = createApi({ fetch: f.fetch, baseUrl: 'http://x' });
    await expect(api.post('/api/sales', {}, { idempotencyKey: 'k-1' })).resolves.toBeUndefined();
    expect(f.calls[0]?.url).toBe('http://x/api/sales');
    expect(headers(f.calls[0])['Idempotency-Key']).toBe('k-1');
    expect(headers(f.calls[0])['Authorization']).toBeUndefined();
  });

  it('turns problem+json into an ApiError with its code', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Validation failed',
      status: 422,
      detail: 'qty has more than 3 decimals',
      code: 'VALIDATION_FAILED',
      requestId: 'r-9',
      errors: [{ field: 'lines[0].qty', message: 'too many decimals' }],
    };
    const api = createApi({ fetch: fakeFetch(() => json(problem, 422, 'application/problem+json')).fetch });
    const error = await api.get('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', requestId: 'r-9', message: problem.detail });
    expect((error as ApiError).errors).toEqual(problem.errors);
  });

  it('gives a code to an error without a problem body', async () => {
    const api = createApi({ fetch: fakeFetch(() => new Response('<h1>404</h1>', { status: 404 })).fetch });
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 404, code: 'HTTP_404' });
  });

  it('reports an HTML page where JSON was expected (a static server without the API)', async () => {
    const page = new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const api = createApi({ fetch: fakeFetch(() => page).fetch });
    await expect(api.get('/api/products/barcode/1')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('reports a network failure and a timeout as NetworkError', async () => {
    const down = createApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down.get('/api/x')).rejects.toBeInstanceOf(NetworkError);
    await expect(down.get('/api/x')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    await expect(createApi({ fetch: hang, timeoutMs: 5 }).get('/api/x')).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('maps any error to a short code', () => {
    expect(errorCode(new ApiError(409, 'SHIFT_CLOSED', 'closed'))).toBe('SHIFT_CLOSED');
    expect(errorCode(new Error('boom'))).toBe('UNEXPECTED');
  });
});

describe('product calls', () => {
  it('looks up a barcode with the code escaped', async () => {
    const f = fakeFetch(() => json(rice));
    const product = await productByBarcode(createApi({ fetch: f.fetch }), '2012345/6');
    expect(product.id).toBe(7);
    expect(f.calls[0]?.url).toBe('/api/products/barcode/2012345%2F6');
  });

  it('rejects a product without the fields the lane needs', async () => {
    const api = createApi({ fetch: fakeFetch(() => json({ id: 7, names: {} })).fetch });
    await expect(productByBarcode(api, '1')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('searches with a limit and keeps only valid items', async () => {
    const f = fakeFetch(() => json({ items: [rice, { id: 'bad' }], nextCursor: null }));
    const page = await searchProducts(createApi({ fetch: f.fetch }), 'rice & co');
    expect(f.calls[0]?.url).toBe('/api/products/search?q=rice%20%26%20co&limit=20');
    expect(page).toEqual({ items: [rice], nextCursor: null });
  });

  it('names a product in the UI language with English as fallback', () => {
    expect(productName(rice, 'si')).toBe('සහල් 5 kg');
    expect(productName(rice, 'ta')).toBe('Rice 5 kg');
  });
});
