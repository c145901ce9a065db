/** What the lane does with a scan or a typed entry: look a code up (maybe with a quantity), set one, or search. */
import { parseQuantity, type ParseError } from './money';
import type { WedgeEvent } from './wedge';

export type LaneCommand =
  | { kind: 'lookup'; code: string; qty: number | null }
  | { kind: 'quantity'; qty: number }
  | { kind: 'search'; query: string }
  | { kind: 'invalid'; error: ParseError };

/** Codes a person may key in by hand: digits (EAN/UPC/PLU) or an internal code without spaces. */
const CODE = /^[0-9]+$/;

/** "3*" → 3000 thousandths; anything else before a scan is not a quantity and is ignored. */
function prefixQuantity(prefix: string): number | null {
  if (!prefix.endsWith('*')) return null;
  const parsed = parseQuantity(prefix.slice(0, -1));
  return parsed.ok ? parsed.value : null;
}

function fromTyped(text: string): LaneCommand {
  const star = text.indexOf('*');
  if (star < 0)
    return CODE.test(text.trim())
      ? { kind: 'lookup', code: text.trim(), qty: null }
      : { kind: 'search', query: text.trim() };
  const parsed = parseQuantity(text.slice(0, star));
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error };
  const rest = text.slice(star + 1).trim();
  if (rest === '') return { kind: 'quantity', qty: parsed.value };
  return CODE.test(rest) ? { kind: 'lookup', code: rest, qty: parsed.value } : { kind: 'search', query: rest };
}

/**
 * A scan is always a lookup of exactly the scanned code: its digits never become a quantity.
 * A typed entry may be "3*" (quantity for the next item), "3*4791234567890", a code, or search words.
 */
export function commandFor(event: WedgeEvent): LaneCommand {
  if (event.kind === 'scan') {
    const qty = prefixQuantity(event.prefix);
    // Digits just before a burst, with no Enter between, are the code's own first digits that reached the page
    // late (a busy main thread, a slow first keystroke): they are never dropped, never a quantity.
    const lead = qty === null && CODE.test(event.prefix) ? event.prefix : '';
    return { kind: 'lookup', code: lead + event.code, qty };
  }
  return fromTyped(event.text);
}
