/**
 * The store's non-secret settings (`GET /api/settings`, backend/pos_grocery/storeinfo): currency, cash rounding,
 * tax convention, approval thresholds, Z denominations, time zone, receipt languages. The lane and the office
 * read them once after sign-in; until they arrive (or when the API is down) the server's defaults apply.
 */
import type { ApiClient } from './api';
import type { Threshold } from './approval';

export interface StoreSettings {
  storeCode: string;
  storeName: string;
  currency: string;
  minorDigits: number;
  cashRoundingIncrement: number;
  taxInclusive: boolean;
  discountManagerThreshold: { percentBp: number; amount: number };
  refundManagerThreshold: number;
  cashMovementCashierLimit: number;
  denominations: number[];
  storeTimezone: string;
  receiptLanguages: string[];
}

/** The server's defaults (.env.example), used until `/api/settings` answered. */
export const DEFAULT_SETTINGS: StoreSettings = {
  storeCode: 'MAIN',
  storeName: 'POS Grocery',
  currency: 'LKR',
  minorDigits: 2,
  cashRoundingIncrement: 0,
  taxInclusive: true,
  discountManagerThreshold: { percentBp: 1000, amount: 100_000 },
  refundManagerThreshold: 500_000,
  cashMovementCashierLimit: 500_000,
  denominations: [500_000, 200_000, 100_000, 50_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100],
  storeTimezone: 'Asia/Colombo',
  receiptLanguages: ['en', 'si', 'ta'],
};

/** The settings, or the defaults when the call fails (an offline lane keeps selling). */
export async function loadSettings(api: ApiClient): Promise<StoreSettings> {
  try {
    return { ...DEFAULT_SETTINGS, ...(await api.get<Partial<StoreSettings>>('/api/settings')) };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** The approval threshold of the manual discounts as `approval.ts` takes it. */
export function thresholdOf(s: StoreSettings): Threshold {
  return { percentBp: s.discountManagerThreshold.percentBp, amount: s.discountManagerThreshold.amount };
}
