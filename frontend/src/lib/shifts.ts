/** Shifts on the lane (backend/pos_grocery/shifts/routes.py): open with a float, cash movements, no-sale, X, Z. */
import { ApiError, type ApiClient } from './api';
import { formatMoney } from './money';

export interface Shift {
  id: number;
  terminalId: number;
  terminal: string;
  status: 'open' | 'closed';
  openingFloat: number;
  openedByName: string;
  openedAt: string;
  businessDate: string;
  closedAt: string | null;
  expectedCash: number | null;
  declaredCash: number | null;
  variance: number | null;
  zNumber: number | null;
  currency: string;
}

export type MovementKind = 'cash_in' | 'cash_out' | 'drop' | 'pickup' | 'petty';
export const MOVEMENT_KINDS: readonly MovementKind[] = ['cash_in', 'cash_out', 'drop', 'pickup', 'petty'];

export interface Denomination {
  value: number;
  count: number;
}

export interface CashSummary {
  openingFloat: number;
  cashTendered: number;
  changeGiven: number;
  cashRefunds: number;
  cashIn: number;
  cashOut: number;
  drops: number;
  pickups: number;
  petty: number;
  expected: number;
  declared: number | null;
  variance: number | null;
  denominations: Denomination[] | null;
}

export interface ShiftReport {
  kind: 'x' | 'z';
  shiftId: number;
  zNumber: number | null;
  terminal: string;
  businessDate: string;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
  generatedAt: string;
  sales: { count: number; gross: number; discounts: number; tax: number; total: number; amountDue: number };
  tenders: { method: string; count: number; amount: number }[];
  refundTotal: { count: number; amount: number };
  voids: { count: number; amount: number };
  noSales: number;
  cash: CashSummary;
  currency: string;
}

export interface ZReport {
  zNumber: number;
  shiftId: number;
  copy: boolean;
  reprintCount: number;
  report: ShiftReport;
  text: string;
}

/** What `GET /api/shifts/current` says about this lane. */
export type ShiftState =
  | { kind: 'open'; shift: Shift }
  | { kind: 'none' }
  /** The server has no shifts (an older API): selling does not need one. */
  | { kind: 'unsupported' }
  | { kind: 'unknown'; error: unknown };

export async function currentShift(api: ApiClient): Promise<ShiftState> {
  try {
    return { kind: 'open', shift: await api.get<Shift>('/api/shifts/current') };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'SHIFT_NOT_OPEN') return { kind: 'none' };
    if (e instanceof ApiError && e.status === 404) return { kind: 'unsupported' };
    return { kind: 'unknown', error: e };
  }
}

export const openShift = (api: ApiClient, openingFloat: number): Promise<Shift> =>
  api.post<Shift>('/api/shifts', { openingFloat });

export function addMovement(
  api: ApiClient,
  shiftId: number,
  body: { kind: MovementKind; amount: number; reason: string; managerPin?: string },
  idempotencyKey: string,
): Promise<unknown> {
  return api.post(`/api/shifts/${shiftId}/movements`, body, { idempotencyKey });
}

export const noSale = (api: ApiClient, shiftId: number, body: { reason: string; managerPin?: string }) =>
  api.post<{ id: number; drawer: string }>(`/api/shifts/${shiftId}/no-sale`, body);

export const xReport = (api: ApiClient, shiftId: number) => api.get<ShiftReport>(`/api/shifts/${shiftId}/x`);

export const closeShift = (
  api: ApiClient,
  shiftId: number,
  body: { declaredCash?: number; denominations?: Denomination[]; managerPin?: string },
) => api.post<ZReport>(`/api/shifts/${shiftId}/close`, body);

export const reprintZ = (api: ApiClient, shiftId: number) => api.get<ZReport>(`/api/shifts/${shiftId}/z`);

/** The Z reprint from the lane: a cashier (no `reports.read`) sends a manager's PIN, journalled as the approver. */
export const reprintZWithPin = (api: ApiClient, shiftId: number, managerPin: string | null) =>
  api.post<ZReport>(`/api/shifts/${shiftId}/z/reprint`, managerPin ? { managerPin } : {});

/** The newest closed shift of a terminal (for "reprint Z"), or null. */
export async function lastClosedShift(api: ApiClient, terminalId: number): Promise<Shift | null> {
  const page = await api.get<{ items: Shift[] }>(`/api/shifts?terminalId=${terminalId}&status=closed&limit=1`);
  return page.items[0] ?? null;
}

/** Counts typed per denomination → the `denominations` array (counts of 0 left out) and the total. */
export function countCash(counts: Readonly<Record<number, number>>): { denominations: Denomination[]; total: number } {
  const denominations = Object.entries(counts)
    .map(([value, count]) => ({ value: Number(value), count }))
    .filter((d) => d.count > 0)
    .sort((a, b) => b.value - a.value);
  return { denominations, total: denominations.reduce((n, d) => n + d.value * d.count, 0) };
}

/** A count typed into the denomination grid: whole, 0…1,000,000; empty is 0; anything else null. */
export function parseCount(text: string): number | null {
  const t = text.trim();
  if (t === '') return 0;
  if (!/^\d{1,7}$/.test(t)) return null;
  const n = Number(t);
  return n <= 1_000_000 ? n : null;
}

/** Labels of the X report text, in the lane's language. */
export interface ReportLabels {
  title: string;
  shift: string;
  opened: string;
  sales: string;
  discounts: string;
  tax: string;
  total: string;
  refunds: string;
  voids: string;
  noSales: string;
  cash: string;
  float: string;
  cashTendered: string;
  change: string;
  cashIn: string;
  cashOut: string;
  drops: string;
  pickups: string;
  petty: string;
  expected: string;
  declared: string;
  variance: string;
  tender: (method: string) => string;
}

const WIDTH = 40;
const row = (label: string, value: string): string =>
  label.length + value.length + 1 > WIDTH
    ? `${label}\n${value.padStart(WIDTH)}`
    : label + value.padStart(WIDTH - label.length);

/** The X report as fixed-width text (shown on the lane and printed through the browser like a receipt). */
export function reportText(r: ShiftReport, l: ReportLabels): string {
  const m = (v: number) => formatMoney(v);
  const rule = '-'.repeat(WIDTH);
  const c = r.cash;
  const lines = [
    l.title,
    `${l.shift} ${r.shiftId} · ${r.terminal} · ${r.businessDate}`,
    `${l.opened} ${new Date(r.openedAt).toLocaleString()}`.slice(0, WIDTH),
    r.openedBy.slice(0, WIDTH),
    rule,
    row(`${l.sales} (${r.sales.count})`, m(r.sales.gross)),
    row(l.discounts, m(-r.sales.discounts)),
    row(l.tax, m(r.sales.tax)),
    row(l.total, m(r.sales.amountDue)),
    rule,
    ...r.tenders.map((t) => row(`${l.tender(t.method)} (${t.count})`, m(t.amount))),
    row(`${l.refunds} (${r.refundTotal.count})`, m(-r.refundTotal.amount)),
    row(`${l.voids} (${r.voids.count})`, m(r.voids.amount)),
    row(l.noSales, String(r.noSales)),
    rule,
    l.cash,
    row(l.float, m(c.openingFloat)),
    row(l.cashTendered, m(c.cashTendered)),
    row(l.change, m(-c.changeGiven)),
    row(l.refunds, m(-c.cashRefunds)),
    row(l.cashIn, m(c.cashIn)),
    row(l.cashOut, m(-c.cashOut)),
    row(l.drops, m(-c.drops)),
    row(l.pickups, m(-c.pickups)),
    row(l.petty, m(-c.petty)),
    row(l.expected, `${m(c.expected)} ${r.currency}`),
  ];
  if (c.declared !== null) lines.push(row(l.declared, m(c.declared)), row(l.variance, m(c.variance ?? 0)));
  return lines.join('\n');
}
