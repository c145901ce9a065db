/** Money in integer minor units and quantities in integer thousandths: exact, never a float in between. */

export type ParseError = 'EMPTY' | 'FORMAT' | 'TOO_MANY_DECIMALS' | 'OUT_OF_RANGE' | 'NOT_POSITIVE';
export type Parsed = { ok: true; value: number } | { ok: false; error: ParseError };

/** Quantities carry at most this many decimals (kg to the gram), as on the wire. */
export const QTY_DECIMALS = 3;
export const QTY_ONE = 1000;

/** Sign, whole part (plain digits, or correctly grouped "1,234,567"), optional fraction. "1,5" is rejected, never 15. */
const DECIMAL = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;

/** Parse "12.5" exactly into an integer scaled by 10^decimals; more decimals than allowed is an error, not a rounding. */
export function parseScaled(text: string, decimals: number): Parsed {
  const clean = text.trim();
  if (clean === '') return { ok: false, error: 'EMPTY' };
  const m = DECIMAL.exec(clean);
  const whole = (m?.[2] ?? '').replace(/,/g, '');
  const frac = m?.[3] ?? '';
  if (!m || (whole === '' && frac === '')) return { ok: false, error: 'FORMAT' };
  if (frac.length > decimals) return { ok: false, error: 'TOO_MANY_DECIMALS' };
  const digits = (whole + frac.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, error: 'OUT_OF_RANGE' };
  return { ok: true, value: m[1] === '-' && value !== 0 ? -value : value };
}

/** Parse a typed amount ("1,234.5") into minor units. */
export function parseMoney(text: string, fractionDigits = 2): Parsed {
  return parseScaled(text, fractionDigits);
}

/** Parse a typed quantity ("1.25") into positive integer thousandths; more than 3 decimals is rejected. */
export function parseQuantity(text: string): Parsed {
  const r = parseScaled(text, QTY_DECIMALS);
  if (r.ok && r.value <= 0) return { ok: false, error: 'NOT_POSITIVE' };
  return r;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function splitScaled(value: number, decimals: number): { sign: string; whole: string; frac: string } {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount: ${value}`);
  const digits = Math.abs(value)
    .toString()
    .padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  return { sign: value < 0 ? '-' : '', whole: digits.slice(0, cut), frac: digits.slice(cut) };
}

/** Format minor units: 1234 → "12.34"; with a currency code → "LKR 12.34"; thousands grouped. */
export function formatMoney(minor: number, currency?: string, fractionDigits = 2): string {
  const { sign, whole, frac } = splitScaled(minor, fractionDigits);
  const amount = `${sign}${groupThousands(whole)}${fractionDigits > 0 ? `.${frac}` : ''}`;
  return currency ? `${currency} ${amount}` : amount;
}

/** Format thousandths without trailing zeros: 1500 → "1.5", 2000 → "2", 750 → "0.75". */
export function formatQuantity(thousandths: number): string {
  const { sign, whole, frac } = splitScaled(thousandths, QTY_DECIMALS);
  const trimmed = frac.replace(/0+$/, '');
  return `${sign}${whole}${trimmed ? `.${trimmed}` : ''}`;
}

/** Thousandths as a JSON number with at most 3 decimals (the wire form): 1250 → 1.25. */
export function quantityToWire(thousandths: number): number {
  return Number(formatQuantity(thousandths));
}

/** Line amount = qty × unit price, rounded half-up (away from zero) to the minor unit; exact via BigInt. */
export function lineAmount(qtyThousandths: number, unitPriceMinor: number): number {
  const product = BigInt(qtyThousandths) * BigInt(unitPriceMinor);
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + 500n) / 1000n;
  const value = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(value)) throw new RangeError('line amount out of range');
  return value;
}
