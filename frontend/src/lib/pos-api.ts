/** The lane's calls to the POS API, with the wire types they use and light runtime checks. */
import { NetworkError, type ApiClient } from './api';
import type { Lang } from './i18n';

export type Role = 'cashier' | 'manager' | 'admin' | 'auditor';

export interface User {
  id: number;
  displayName: string;
  role: Role;
}

export interface Session {
  token: string;
  user: User;
}

export interface Product {
  id: number;
  sku: string;
  names: { en: string; si?: string; ta?: string };
  unit: string;
  weighed: boolean;
  prices: { retail: number; wholesale?: number; credit?: number; other?: number };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** True when `v` has the product fields the lane relies on (integer id and retail price, an English name). */
export function isProduct(v: unknown): v is Product {
  if (!isObject(v) || !isObject(v['names']) || !isObject(v['prices'])) return false;
  return (
    Number.isSafeInteger(v['id']) &&
    typeof v['names']['en'] === 'string' &&
    Number.isSafeInteger(v['prices']['retail']) &&
    typeof v['weighed'] === 'boolean' &&
    typeof v['unit'] === 'string'
  );
}

function isSession(v: unknown): v is Session {
  return (
    isObject(v) && typeof v['token'] === 'string' && isObject(v['user']) && typeof v['user']['displayName'] === 'string'
  );
}

function expect<T>(value: unknown, guard: (v: unknown) => v is T, what: string): T {
  if (!guard(value)) throw new NetworkError('BAD_RESPONSE', `unexpected ${what} in response`);
  return value;
}

/** The product's name in the UI language, falling back to English. */
export function productName(p: Product, lang: Lang): string {
  return (lang !== 'en' ? p.names[lang] : undefined) || p.names.en;
}

export async function loginPin(api: ApiClient, pin: string, terminal: string): Promise<Session> {
  return expect(await api.post('/api/auth/login/pin', { pin, terminal }), isSession, 'session');
}

export async function productByBarcode(api: ApiClient, code: string, signal?: AbortSignal): Promise<Product> {
  const path = `/api/products/barcode/${encodeURIComponent(code)}`;
  return expect(await api.get(path, signal ? { signal } : {}), isProduct, 'product');
}

export async function searchProducts(api: ApiClient, q: string, signal?: AbortSignal): Promise<Page<Product>> {
  const path = `/api/products/search?q=${encodeURIComponent(q)}&limit=20`;
  const page = await api.get<unknown>(path, signal ? { signal } : {});
  if (!isObject(page) || !Array.isArray(page['items'])) throw new NetworkError('BAD_RESPONSE', 'unexpected page');
  const next = page['nextCursor'];
  return { items: page['items'].filter(isProduct), nextCursor: typeof next === 'string' ? next : null };
}

/** Submit a completed sale; the idempotency key makes a retried submit return the original sale. */
export async function submitSale(api: ApiClient, body: unknown, idempotencyKey: string): Promise<unknown> {
  return api.post('/api/sales', body, { idempotencyKey });
}
