/**
 * Held (parked) sales: `POST /api/held-sales` parks the cart, `GET /api/held-sales` lists them,
 * `POST /api/held-sales/{id}/resume` takes one back (any terminal). The held cart is the CartIn body; on resume
 * the lane rebuilds its lines from the products (names, units, prices) and re-prices them with a quote.
 */
import { NetworkError, type ApiClient } from './api';
import type { Cart, CartProduct, Discount } from './cart';
import type { Lang } from './i18n';
import { parseQuantity } from './money';
import { getPage, productName, type Page, type Product } from './pos-api';
import { cartBody, type CartWire, type DiscountWire, type SaleContext, type Tier } from './sale';

export interface HeldSale {
  id: number;
  terminal?: string;
  cashier?: string;
  customerId?: number | null;
  note?: string;
  totalAmount?: number;
  createdAt?: string;
  expiresAt?: string;
  status?: string;
  cart?: CartWire;
  lineCount?: number;
}

export interface HeldBody extends CartWire {
  note?: string;
  language?: Lang;
}

export function heldSaleBody(cart: Cart, ctx: SaleContext, _lang: Lang, note = ''): HeldBody {
  const body: HeldBody = cartBody(cart, ctx);
  delete body.heldSaleId;
  if (note) body.note = note;
  return body;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export async function holdSale(api: ApiClient, body: HeldBody): Promise<HeldSale> {
  const r = await api.post<unknown>('/api/held-sales', body);
  if (!isObject(r) || !Number.isSafeInteger(r['id'])) throw new NetworkError('BAD_RESPONSE', 'unexpected hold');
  return r as unknown as HeldSale;
}

export function listHeld(api: ApiClient, signal?: AbortSignal): Promise<Page<HeldSale>> {
  return getPage<HeldSale>(api, '/api/held-sales?limit=50', signal);
}

function discountOf(d: DiscountWire | undefined | null): Discount | null {
  if (!d) return null;
  const out: Discount = { reason: d.reason ?? '' };
  if (d.percent !== undefined && d.percent !== null) out.percent = String(d.percent);
  if (d.amount !== undefined && d.amount !== null) out.amount = d.amount;
  return out;
}

export interface Resumed {
  lines: (CartProduct & { qty: number; discount: Discount | null })[];
  ctx: Partial<SaleContext>;
}

/** Take a held sale back and rebuild the lane's cart from its lines and the products they name. */
export async function resumeHeld(api: ApiClient, id: number, lang: Lang = 'en'): Promise<Resumed> {
  const r = await api.post<unknown>(`/api/held-sales/${id}/resume`, {});
  const held = isObject(r) && isObject(r['cart']) ? r['cart'] : r;
  if (!isObject(held) || !Array.isArray(held['lines']))
    throw new NetworkError('BAD_RESPONSE', 'held sale without lines');
  const wire = held['lines'] as (CartWire['lines'][number] & { quantity: number | string })[];
  const ids = [...new Set(wire.map((l) => l.productId))];
  const products = new Map<number, Product>();
  await Promise.all(ids.map(async (pid) => products.set(pid, await api.get<Product>(`/api/products/${pid}`))));
  const lines = wire.map((l) => {
    const p = products.get(l.productId);
    if (!p) throw new NetworkError('BAD_RESPONSE', `product ${l.productId} missing`);
    const q = parseQuantity(String(l.quantity ?? 1));
    return {
      productId: p.id,
      name: productName(p, lang),
      unitPrice: p.prices.retail,
      weighed: p.weighed,
      unit: p.unit,
      scannedCode: l.scannedCode ?? null,
      minAge: null,
      qty: q.ok ? q.value : 1000,
      discount: discountOf(l.discount),
    };
  });
  const ctx: Partial<SaleContext> = {};
  const tier = held['priceTier'];
  if (typeof tier === 'string') ctx.priceTier = tier as Tier;
  const bill = discountOf(held['billDiscount'] as DiscountWire | undefined);
  if (bill) ctx.billDiscount = bill;
  const customerId = held['customerId'];
  if (typeof customerId === 'number') {
    const c = await api.get<{ id: number; name: string; priceTier: string }>(`/api/customers/${customerId}`);
    ctx.customer = { id: c.id, name: c.name, priceTier: c.priceTier as Tier };
    if (ctx.priceTier === c.priceTier) delete ctx.priceTier;
  }
  return { lines, ctx };
}
