/**
 * Split tenders at the lane: what is still due, the change, and the `tenders` array of `POST /api/sales`.
 * Mirrors backend/pos_grocery/sales/tenders.py: non-cash tenders may not exceed the total (change comes from
 * cash only); cash rounding applies to the cash part (the quote's amountDueCash is the cash-only figure).
 */
import type { TenderMethod, TenderWire } from './sale';

export interface Tender {
  method: TenderMethod;
  /** For cash: the notes handed over; otherwise the amount paid. Minor units. */
  amount: number;
  reference?: string;
}

export interface Settlement {
  nonCash: number;
  /** What the cash tenders must cover. */
  cashDue: number;
  handed: number;
  remaining: number;
  change: number;
  complete: boolean;
  tenders: TenderWire[];
}

export type TenderError = 'NOT_POSITIVE' | 'EXCEEDS_TOTAL' | 'REFERENCE_REQUIRED' | 'NOTHING_DUE';

export const needsReference = (m: TenderMethod): boolean => m === 'card' || m === 'wallet' || m === 'store_credit';

/** Settle `tenders` against a sale `total` (cash-only amount due `cashOnlyDue`, with cash rounding). */
export function settle(total: number, cashOnlyDue: number, tenders: readonly Tender[]): Settlement {
  const nonCash = tenders.filter((t) => t.method !== 'cash').reduce((n, t) => n + t.amount, 0);
  const handed = tenders.filter((t) => t.method === 'cash').reduce((n, t) => n + t.amount, 0);
  const cashDue = nonCash === 0 ? cashOnlyDue : Math.max(0, total - nonCash);
  const remaining = Math.max(0, cashDue - handed);
  const change = Math.max(0, handed - cashDue);
  const wire: TenderWire[] = tenders
    .filter((t) => t.method !== 'cash')
    .map((t) =>
      t.reference
        ? { method: t.method, amount: t.amount, reference: t.reference }
        : { method: t.method, amount: t.amount },
    );
  // All cash travels as one tender: the cash part as amount, what was handed over as tendered.
  if (handed > 0 && cashDue > 0) wire.push({ method: 'cash', amount: Math.min(cashDue, handed), tendered: handed });
  const complete = tenders.length > 0 && nonCash <= total && remaining === 0;
  return { nonCash, cashDue, handed, remaining, change: cashDue === 0 ? handed : change, complete, tenders: wire };
}

/** Check a tender before adding it to those already given. */
export function checkTender(
  total: number,
  cashOnlyDue: number,
  given: readonly Tender[],
  t: Tender,
): TenderError | null {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) return 'NOT_POSITIVE';
  const now = settle(total, cashOnlyDue, given);
  if (now.complete) return 'NOTHING_DUE';
  if (t.method === 'cash') return null;
  if (needsReference(t.method) && !t.reference?.trim()) return 'REFERENCE_REQUIRED';
  if (t.amount > Math.min(now.remaining, total - now.nonCash)) return 'EXCEEDS_TOTAL';
  return null;
}

const NOTES = [10_000, 50_000, 100_000, 500_000];

/** Quick cash amounts for `due` (minor units): exact first, then the next round notes above it. */
export function quickCash(due: number, notes: readonly number[] = NOTES): number[] {
  if (due <= 0) return [];
  const up = notes.map((n) => Math.ceil(due / n) * n).filter((v) => v > due);
  return [due, ...[...new Set(up)].sort((a, b) => a - b)].slice(0, 4);
}
