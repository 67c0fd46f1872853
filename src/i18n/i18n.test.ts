import { createI18n, displayNumber, languageOf } from './index';
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

  it('both languages have exactly the same keys, nested ones included (statuses, reasons, rules, errors)', () => {
    const missingInRo = keysOf(en).filter((key) => !keysOf(ro).includes(key));
    const missingInEn = keysOf(ro).filter((key) => !keysOf(en).includes(key));
    expect({ missingInRo, missingInEn }).toEqual({ missingInRo: [], missingInEn: [] });
  });

  it('Romanian strings are Romanian: none is left equal to its English text (except names and codes)', () => {
    const same = keysOf(en).filter((key) => {
      const get = (o: object) => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);
      const [e, r] = [get(en), get(ro)];
      return typeof e === 'string' && e === r && !/^(—|Storno\.ro|CIF|CNP|Email|Total|Plan|e-Factura)$/.test(e);
    });
    expect(same).toEqual([]);
  });

  it('formats percentages per locale from decimal strings', () => {
    expect(createI18n('ro-RO').percent('21.00')).toBe('21,00\u00a0%');
    expect(createI18n('ro-RO').percent('9')).toBe('9,00\u00a0%');
    expect(createI18n('en-US').percent('21.00')).toBe('21.00%');
    expect(createI18n('en-US').percent(null)).toBe('—');
  });

  it('hides Storno draft placeholders and unknown statuses', () => {
    expect(displayNumber('DRAFT-12e91d64')).toBeNull();
    expect(displayNumber('FACT0042')).toBe('FACT0042');
    expect(createI18n('ro-RO').stornoStatus('refunded')).toBe('Stornată');
    expect(createI18n('en-US').stripeStatus('something_new')).toBe('Other status');
  });

  it('pre-flight checks and ANAF rules in the UI language; unknown codes keep the backend text', () => {
    const check = { code: 'buyer_cif_invalid', message: 'English', params: { cif: 'RO123' } };
    expect(createI18n('ro-RO').preflight(check)).toContain('CIF-ul clientului RO123');
    expect(createI18n('ro-RO').preflight({ code: 'new_check', message: 'Backend text', params: {} })).toBe('Backend text');
    expect(createI18n('en-US').providerNotes('E: [BR-RO-120] CIF invalid; E: [BR-RO-120] again; [BR-RO-999]')).toEqual([
      "BR-RO-120: The buyer's tax ID (CUI/CIF or CNP) is missing or invalid. Correct the customer's tax ID in Stripe.",
    ]);
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
