import { describe, expect, it } from 'vitest';
import { catalogProblems, initialLang, t } from './i18n';

describe('i18n', () => {
  it('has every key in every language, non-empty, with the same placeholders', () => {
    expect(catalogProblems()).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(t('en', 'lane.pending', { count: 3 })).toBe('Unsent sales: 3');
    expect(t('ta', 'lane.cashier', { name: 'Nimal' })).toBe('காசாளர்: Nimal');
    expect(t('si', 'lane.cashier', { name: 'Nimal' })).toBe('අයකැමි: Nimal');
  });

  it('leaves an unknown placeholder visible instead of dropping it', () => {
    expect(t('en', 'lane.pending')).toBe('Unsent sales: {count}');
  });

  it('picks the starting language', () => {
    expect(initialLang('ta', ['en-GB'])).toBe('ta');
    expect(initialLang(null, ['si-LK', 'en'])).toBe('si');
    expect(initialLang('xx', ['fr-FR'])).toBe('en');
  });
});
