import { createI18n, languageOf } from './index';
import { en } from './en';
import { ro } from './ro';

const keysOf = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, item]) => (item && typeof item === 'object' ? keysOf(item, `${prefix}${key}.`) : [`${prefix}${key}`]));

describe('i18n', () => {
  it('picks Romanian for ro* locales, else English', () => {
    expect(languageOf('ro-RO')).toBe('ro');
    expect(languageOf('ro')).toBe('ro');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('Romanian has every English key', () => {
    expect(keysOf(ro).sort()).toEqual(expect.arrayContaining(keysOf(en).filter((key) => !key.startsWith('stripeStatus.') && !key.startsWith('refundReason.')).sort()));
    expect(keysOf(en.status).sort()).toEqual(keysOf(ro.status).sort());
  });

  it('toasts fit the Dashboard limit of 30 characters', () => {
    for (const strings of [en, ro]) {
      for (const [key, value] of Object.entries(strings)) {
        if (key.startsWith('toast')) expect(`${key}: ${String(value).length}`).toBe(`${key}: ${Math.min(String(value).length, 30)}`);
      }
    }
  });

  it('formats money from decimal strings per locale and currency', () => {
    expect(createI18n('en-US').money('1234.50', 'ron')).toBe('RON\u00a01,234.50');
    expect(createI18n('ro-RO').money('1234.50', 'ron')).toBe('1.234,50\u00a0RON');
    expect(createI18n('en-US').money('5000', 'jpy')).toBe('¥5,000');
    expect(createI18n('en-US').money('0.1', 'eur')).toBe('€0.10');
    expect(createI18n('en-US').money(null, 'eur')).toBe('—');
    expect(createI18n('en-US').money('12.00', 'not-a-currency')).toBe('12.00 NOT-A-CURRENCY');
  });
});
