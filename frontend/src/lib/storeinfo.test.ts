import { describe, expect, it } from 'vitest';
import { createApi } from './api';
import { needsApproval } from './approval';
import { DEFAULT_SETTINGS, loadSettings, thresholdOf } from './storeinfo';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('store settings', () => {
  it('reads /api/settings and uses its thresholds', async () => {
    const urls: string[] = [];
    const api = createApi({
      fetch: async (url) => {
        urls.push(String(url));
        return json({ ...DEFAULT_SETTINGS, currency: 'USD', discountManagerThreshold: { percentBp: 500, amount: 0 } });
      },
    });
    const s = await loadSettings(api);
    expect(urls).toEqual(['/api/settings']);
    expect(s.currency).toBe('USD');
    // 0 as the amount limit: any discount that takes something off needs a manager
    expect(needsApproval({ amount: 1, reason: 'x' }, 10_000, thresholdOf(s))).toBe(true);
    expect(needsApproval({ percent: '5', reason: 'x' }, 10_000, { ...thresholdOf(s), amount: 100_000 })).toBe(false);
    expect(needsApproval({ percent: '5.01', reason: 'x' }, 10_000, { ...thresholdOf(s), amount: 100_000 })).toBe(true);
  });

  it('falls back to the server defaults when the API is down or refuses', async () => {
    const down = createApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await loadSettings(down)).toEqual(DEFAULT_SETTINGS);
    const refused = createApi({ fetch: async () => json({ code: 'UNAUTHENTICATED' }, 401) });
    expect(await loadSettings(refused)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.denominations[0]).toBe(500_000);
  });
});
