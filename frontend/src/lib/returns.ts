/**
 * Returns against a receipt (backend/pos_grocery/returns): look the sale up by receipt number, choose lines and
 * quantities, a reason and a refund method; `POST /api/returns` with an Idempotency-Key (managerPin when needed).
 */
import { NetworkError, type ApiClient } from './api';
import { QTY_ONE, quantityToWire } from './money';

export type ReasonCode = 'damaged' | 'expired' | 'wrong_item' | 'customer_change' | 'other';
export const RETURN_REASONS: readonly ReasonCode[] = ['damaged', 'expired', 'wrong_item', 'customer_change', 'other'];
export type RefundMethod = 'cash' | 'card' | 'store_credit';
export const REFUND_METHODS: readonly RefundMethod[] = ['cash', 'card', 'store_credit'];

export interface ReturnableLine {
  lineNo: number;
  productId: number;
  name: string;
  unit: string;
  quantity: number;
  returnedQuantity: number;
  returnableQuantity: number;
  totalAmount: number;
  refundableAmount: number;
}

export interface Lookup {
  saleId: number;
  receiptNumber: string;
  status: string;
  createdAt: string;
  totalAmount: number;
  refundedAmount: number;
  lines: ReturnableLine[];
  currency: string;
}

export interface ReturnOut {
  id: number;
  totalAmount: number;
  refundMethod: string;
  storeCreditCode: string | null;
  currency: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export async function lookupReceipt(api: ApiClient, receiptNumber: string): Promise<Lookup> {
  const r = await api.get<unknown>(`/api/returns/lookup?receiptNumber=${encodeURIComponent(receiptNumber.trim())}`);
  if (!isObject(r) || !Array.isArray(r['lines']) || !Number.isSafeInteger(r['saleId']))
    throw new NetworkError('BAD_RESPONSE', 'unexpected lookup');
  return r as unknown as Lookup;
}

/** Thousandths from a wire quantity (float with ≤ 3 decimals). */
export const toThousandths = (q: number): number => Math.round(q * QTY_ONE);

/** The amount a partial return refunds, pro rata of what is still refundable (display; the server decides). */
export function estimateRefund(line: ReturnableLine, qty: number): number {
  const returnable = toThousandths(line.returnableQuantity);
  if (returnable <= 0 || qty <= 0) return 0;
  if (qty >= returnable) return line.refundableAmount;
  return Math.floor((line.refundableAmount * qty) / returnable);
}

export interface ReturnChoice {
  lineNo: number;
  qty: number;
}

export function returnBody(
  lookup: Lookup,
  choices: readonly ReturnChoice[],
  reason: ReasonCode,
  method: RefundMethod,
  managerPin: string | null,
  reference: string | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    saleId: lookup.saleId,
    refundMethod: method,
    lines: choices
      .filter((c) => c.qty > 0)
      .map((c) => ({
        lineNo: c.lineNo,
        quantity: quantityToWire(c.qty),
        reason,
        disposition: reason === 'damaged' || reason === 'expired' ? 'write_off' : 'restock',
      })),
  };
  if (managerPin) body['managerPin'] = managerPin;
  if (reference) body['reference'] = reference;
  return body;
}

export async function createReturn(api: ApiClient, body: unknown, key: string): Promise<ReturnOut> {
  const r = await api.post<unknown>('/api/returns', body, { idempotencyKey: key });
  if (!isObject(r) || !Number.isSafeInteger(r['id'])) throw new NetworkError('BAD_RESPONSE', 'unexpected return');
  return r as unknown as ReturnOut;
}
