/**
 * The price grid's bulk rule (e.g. wholesale = retail − 5 %, rounded to 0.50), its pending edits, and the body of
 * `POST /api/products/price-changes` that saves them all in one transaction (and which change a refusal names).
 */

export const TIERS = ['retail', 'wholesale', 'credit', 'other'] as const;
export type PriceTier = (typeof TIERS)[number];
export type TierPrices = Record<PriceTier, number>;

export interface BulkRule {
  target: PriceTier;
  base: PriceTier;
  /** Change in basis points of the base price: −500 = 5 % less, 1000 = 10 % more. */
  changeBp: number;
  /** Round the result half-up to a multiple of this many minor units (1 = to the cent, 50 = to 0.50). */
  roundTo: number;
}

/** `base × (1 + changeBp / 10 000)` rounded half-up to a multiple of `roundTo`, in integers only (never < 0). */
export function bulkPrice(base: number, changeBp: number, roundTo: number): number {
  const step = Math.max(1, Math.trunc(roundTo));
  const num = base * (10_000 + changeBp); // exact for prices below 9e11 minor units
  const den = 10_000 * step;
  const q = Math.floor(num / den);
  const rem = num - q * den;
  const rounded = (rem * 2 >= den ? q + 1 : q) * step;
  return Math.max(0, rounded);
}

/** Edits by product id: only the tiers that differ from the server's prices. */
export type Edits = Record<number, Partial<TierPrices>>;

/** Set one cell; a value equal to the server's price removes the edit. */
export function setCell(edits: Edits, id: number, server: TierPrices, tier: PriceTier, value: number): Edits {
  const row = { ...(edits[id] ?? {}) };
  if (value === server[tier]) delete row[tier];
  else row[tier] = value;
  const next = { ...edits };
  if (Object.keys(row).length === 0) delete next[id];
  else next[id] = row;
  return next;
}

/** Apply a bulk rule to the given rows (the base is the row's current value, edited or not). */
export function applyRule(edits: Edits, rows: readonly { id: number; prices: TierPrices }[], rule: BulkRule): Edits {
  let next = edits;
  for (const r of rows) {
    const base = next[r.id]?.[rule.base] ?? r.prices[rule.base];
    next = setCell(next, r.id, r.prices, rule.target, bulkPrice(base, rule.changeBp, rule.roundTo));
  }
  return next;
}

/** "−5" / "5" / "+2.5" (percent, up to 2 decimals) → basis points; null when not a number in −100…1000 %. */
export function parsePercentBp(text: string): number | null {
  const m = /^\s*([+-−]?)(\d{1,4})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  const signed = m[1] === '-' || m[1] === '−' ? -bp : bp;
  return signed < -10_000 || signed > 100_000 ? null : signed;
}

/** The most changes one `POST /api/products/price-changes` takes (the server refuses more). */
export const MAX_CHANGES = 500;

export interface PriceChange {
  productId: number;
  /** Only the changed tiers, in minor units (the `prices` object of `PATCH /api/products/{id}`). */
  prices: Partial<TierPrices>;
}

/** The pending edits as the `changes` of `POST /api/products/price-changes` (by product id). */
export function priceChanges(edits: Edits): PriceChange[] {
  return Object.entries(edits).map(([id, prices]) => ({ productId: Number(id), prices }));
}

/** What a refusal of the whole request says about one change: its index, the tier (when a price), the text. */
export interface Refusal {
  index: number;
  tier: PriceTier | null;
  /** The problem's detail without its `changes[i] (product n): ` prefix (the grid names the SKU itself). */
  text: string;
}

/**
 * Which change a refusal (an ApiError) points at: the index in `errors[].field` (`changes[3].prices.retail`, `changes[3].productId`)
 * or at the start of the detail (`changes[3] (product 12): …`); null when it names none (e.g. too many changes).
 */
export function refusalOf(problem: { errors: readonly { field: string }[]; message: string }): Refusal | null {
  const detail = problem.message;
  for (const text of [...problem.errors.map((e) => e.field), detail]) {
    const m = /^changes\[(\d+)\](?:\.prices\.(\w+))?/.exec(text);
    if (!m) continue;
    const tier = (TIERS as readonly string[]).includes(m[2] ?? '') ? (m[2] as PriceTier) : null;
    return { index: Number(m[1]), tier, text: detail.replace(/^changes\[\d+\][^:]*:\s*/, '') };
  }
  return null;
}
