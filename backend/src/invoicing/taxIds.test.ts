import { classifyTaxIds, isValidCif, isValidCnp, normalizeCif, parseEuVat } from './taxIds.js';

describe('CIF', () => {
  it.each([['4221306', true], ['RO4221306', true], ['ro 4221306', true], ['12345674', true], ['12345678', false], ['33333338', true], ['19', true], ['1234567890', false], ['04221306', true], [' RO 42 21 306 ', true], ['1', false], ['RO', false], ['12345678901', false], ['ABC', false]])('%s valid=%s', (v, ok) => {
    expect(isValidCif(v)).toBe(ok);
  });
  it('normalizes to bare digits', () => {
    expect(normalizeCif(' RO 004221306')).toBe('4221306');
    expect(normalizeCif('DE123')).toBeNull();
  });
});

describe('CNP', () => {
  it('validates the check digit and refuses the placeholder as a real CNP', () => {
    expect(isValidCnp('1960523123457')).toBe(true);
    expect(isValidCnp('2850101400019')).toBe(true);
    expect(isValidCnp('1960523123458')).toBe(false);
    expect(isValidCnp('0000000000000')).toBe(false);
    expect(isValidCnp('196052312345')).toBe(false);
  });
});

describe('EU VAT', () => {
  it('maps EL to Greece and XI to the UK', () => {
    expect(parseEuVat('EL123456789')).toMatchObject({ prefix: 'EL', country: 'GR', code: 'EL123456789' });
    expect(parseEuVat('gr 123456789')).toMatchObject({ prefix: 'EL', country: 'GR' });
    expect(parseEuVat('XI123456789')).toMatchObject({ country: 'GB' });
    expect(parseEuVat('de 123 456 789')?.code).toBe('DE123456789');
    expect(parseEuVat('US123')).toBeNull();
  });
});

describe('classifyTaxIds', () => {
  it('ro_tin 13 digits → CNP, 2–10 digits → CUI; eu_vat RO → VAT payer; other eu_vat → EU', () => {
    expect(classifyTaxIds([{ type: 'ro_tin', value: '1960523123457' }]).identity).toMatchObject({ kind: 'ro_person', valid: true });
    expect(classifyTaxIds([{ type: 'ro_tin', value: '4221306' }]).identity).toMatchObject({ kind: 'ro_company', cui: '4221306', valid: true });
    expect(classifyTaxIds([{ type: 'eu_vat', value: 'RO4221306' }]).identity).toMatchObject({ kind: 'ro_vat_payer', cui: '4221306', vatCode: 'RO4221306' });
    expect(classifyTaxIds([{ type: 'eu_vat', value: 'FR12345678901' }]).identity).toMatchObject({ kind: 'eu_vat', vat: { country: 'FR' } });
    expect(classifyTaxIds([]).identity.kind).toBe('none');
  });
  it('prefers the Romanian VAT id and reports unusable ids', () => {
    const r = classifyTaxIds([{ type: 'ro_tin', value: 'ABC123' }, { type: 'eu_vat', value: 'DE123456789' }, { type: 'eu_vat', value: 'RO4221306' }]);
    expect(r.identity.kind).toBe('ro_vat_payer');
    expect(r.unusable).toEqual([{ type: 'ro_tin', value: 'ABC123' }]);
  });
  it('a ro_tin typed with RO counts as a VAT payer; the 13-zero placeholder is no identity', () => {
    expect(classifyTaxIds([{ type: 'ro_tin', value: 'RO4221306' }]).identity.kind).toBe('ro_vat_payer');
    expect(classifyTaxIds([{ type: 'ro_tin', value: '0000000000000' }]).identity.kind).toBe('none');
  });
});
