/** The lane's calls to the POS API, with the wire types they use and light runtime checks. */
import { ApiError, createApi, NetworkError, type ApiClient } from './api';
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
  /** Permission names (`sales.void`, `audit.read`, …) from the sign-in answer. */
  permissions?: string[];
  inactivityLockSeconds?: number;
  /** 'pin' at a lane, 'password' in the back office. */
  method?: 'pin' | 'password';
  /** The terminal the session is bound to (a lane's sign-in). */
  terminal?: { id: number; name: string } | null;
}

export const can = (s: Session, permission: string): boolean => (s.permissions ?? []).includes(permission);

export interface Product {
  id: number;
  sku: string;
  names: { en: string; si?: string; ta?: string };
  unit: string;
  weighed: boolean;
  prices: { retail: number; wholesale?: number; credit?: number; other?: number };
  ageRestricted?: boolean;
  minAge?: number | null;
  active?: boolean;
  plu?: string | null;
  cost?: number | null;
  barcodes?: { code: string; kind: string }[];
}

/** `GET /api/products/barcode/{code}`: the product and how the code was read (scale labels carry weight/price). */
export interface ScanMatch extends Product {
  scan?: { code: string; kind: string; normalized: string; weightG?: number | null; priceMinor?: number | null };
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

export async function loginPassword(api: ApiClient, username: string, password: string): Promise<Session> {
  const s = expect(await api.post('/api/auth/login/password', { username, password }), isSession, 'session');
  return { ...s, method: 'password' };
}

export async function productByBarcode(api: ApiClient, code: string, signal?: AbortSignal): Promise<ScanMatch> {
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

/** A page of anything (`{"items","nextCursor"}`), items unchecked. */
export async function getPage<T>(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<T>> {
  const page = await api.get<unknown>(path, signal ? { signal } : {});
  if (!isObject(page) || !Array.isArray(page['items'])) throw new NetworkError('BAD_RESPONSE', 'unexpected page');
  const next = page['nextCursor'];
  return { items: page['items'] as T[], nextCursor: typeof next === 'string' ? next : null };
}

export interface Adjustment {
  kind: string;
  ruleId: number | null;
  amount: number;
  text: string;
  reason?: string | null;
}

export interface QuoteLine {
  lineNo: number;
  productId: number;
  name: string;
  unit: string;
  quantity: number;
  unitPrice: number | null;
  adjustments: Adjustment[];
  billDiscount: number;
  netAmount: number;
  totalAmount: number;
  baseAmount: number;
}

export interface Totals {
  baseAmount: number;
  lineDiscount: number;
  billDiscount: number;
  netAmount: number;
  taxAmount: number;
  totalAmount: number;
  cashRounding: number;
  amountDue: number;
}

export interface Quote {
  priceTier: string;
  customerId: number | null;
  lines: QuoteLine[];
  billAdjustments: Adjustment[];
  taxSummary: { rateBp: number; taxableAmount: number; taxAmount: number; totalAmount: number }[];
  totals: Totals;
  amountDueCash: number;
  currency: string;
}

function isQuote(v: unknown): v is Quote {
  return isObject(v) && Array.isArray(v['lines']) && isObject(v['totals']) && Number.isSafeInteger(v['amountDueCash']);
}

/** `POST /api/sales/quote`: price a cart (promotions, tier, discounts, tax) without saving anything. */
export async function quoteCart(api: ApiClient, body: unknown, signal?: AbortSignal): Promise<Quote> {
  return expect(await api.post('/api/sales/quote', body, signal ? { signal } : {}), isQuote, 'quote');
}

export interface SaleOut {
  id: number;
  receiptNumber: string;
  status: string;
  totals: Totals;
  change: number;
  currency: string;
  lines: QuoteLine[];
  tenders: { method: string; amount: number; tendered: number; change: number; reference: string | null }[];
  createdAt: string;
  terminal: string;
  cashier: string;
}

/** What the lane's printer did with a receipt (`print` on a completed sale, docs/DEVICES.md). */
export interface PrintStatus {
  status: 'printed' | 'failed' | 'pending' | 'skipped';
  detail: string;
  copy: boolean;
}

/** The sale's print status, when the server reports one (older APIs do not). */
export function printStatusOf(v: unknown): PrintStatus | null {
  const p = isObject(v) ? v['print'] : null;
  if (!isObject(p) || typeof p['status'] !== 'string') return null;
  return {
    status: p['status'] as PrintStatus['status'],
    detail: typeof p['detail'] === 'string' ? p['detail'] : '',
    copy: p['copy'] === true,
  };
}

/** `POST /api/sales/{id}/print`: print on the lane's printer again (the original if it never printed, else a COPY). */
export async function printSale(api: ApiClient, saleId: number): Promise<PrintStatus> {
  const out = await api.post<unknown>(`/api/sales/${saleId}/print`, {});
  const status = printStatusOf(out);
  if (!status) throw new NetworkError('BAD_RESPONSE', 'print answer without status');
  return status;
}

/** `POST /api/devices/display/idle`: this lane's customer display shows the idle message (a new empty cart). */
export async function displayIdle(api: ApiClient): Promise<void> {
  await api.post<unknown>('/api/devices/display/idle', {});
}

/** `GET /api/devices/scale/weight`: a stable net weight from this lane's scale, in grams. */
export async function readScale(api: ApiClient, signal?: AbortSignal): Promise<number> {
  const out = await api.get<unknown>('/api/devices/scale/weight?timeoutMs=3000', signal ? { signal } : {});
  if (isObject(out) && Number.isSafeInteger(out['grams'])) return out['grams'] as number;
  throw new NetworkError('BAD_RESPONSE', 'scale answer without grams');
}

export const isSaleOut = (v: unknown): v is SaleOut =>
  isObject(v) && Number.isSafeInteger(v['id']) && typeof v['receiptNumber'] === 'string';

/** `GET /api/sales/{id}/receipt`: the API's plain-text rendering of the receipt. */
export async function receiptText(api: ApiClient, saleId: number): Promise<string> {
  const r = await api.get<unknown>(`/api/sales/${saleId}/receipt?format=text`);
  if (isObject(r) && typeof r['text'] === 'string') return r['text'];
  throw new NetworkError('BAD_RESPONSE', 'receipt without text');
}

export interface Customer {
  id: number;
  name: string;
  phone: string;
  type: string;
  priceTier: string;
  creditLimit: number;
  active: boolean;
  notes?: string;
  currency?: string;
  /** What the customer owes on account (read-only). */
  balance?: number;
}

export function searchCustomers(api: ApiClient, q: string, signal?: AbortSignal): Promise<Page<Customer>> {
  return getPage<Customer>(api, `/api/customers?q=${encodeURIComponent(q)}&limit=20`, signal);
}

/**
 * Check a manager's PIN before it approves something in a cart (the quote does not check approvals; the sale
 * would, too late, in the outbox). A PIN sign-in of the manager at this terminal, ended at once: the PIN is
 * checked, throttled and journalled by the server. 'ok', 'invalid' (wrong PIN, locked) or 'denied' (not allowed).
 */
export async function verifyManagerPin(
  api: ApiClient,
  pin: string,
  terminal: string,
  permission: string,
): Promise<'ok' | 'invalid' | 'denied'> {
  let s: Session;
  try {
    s = await loginPin(api, pin, terminal);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 429 || e.status === 400)) return 'invalid';
    throw e;
  }
  void createApi({ getToken: () => s.token })
    .post('/api/auth/logout', {})
    .catch(() => undefined);
  return (s.permissions ?? []).includes(permission) ? 'ok' : 'denied';
}
