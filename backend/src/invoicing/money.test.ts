import Big from 'big.js';
import { formatMinorForDisplay, formatMoney, formatQuantity, formatRate, minorToMajor, minorToStornoMoney, roundHalfUp, stripeExponent } from './money.js';
import { bucharestDate } from './dates.js';
import { ts } from '../../test/support/stripeInvoices.js';

describe('money', () => {
  it('knows the exponents, ISK/UGX being two-decimal on the wire', () => {
    expect(stripeExponent('jpy')).toBe(0);
    expect(stripeExponent('XAF')).toBe(0);
    expect(stripeExponent('KWD')).toBe(3);
    expect(stripeExponent('RON')).toBe(2);
    expect(stripeExponent('ISK')).toBe(2);
    expect(stripeExponent('UGX')).toBe(2);
  });
  it('converts zero-decimal, three-decimal and ISK amounts', () => {
    expect(minorToStornoMoney(5000, 'jpy')).toBe('5000.00');
    expect(formatMinorForDisplay(5000, 'JPY')).toBe('5000');
    expect(minorToStornoMoney(12350, 'KWD')).toBe('12.35');
    expect(formatMinorForDisplay(1235, 'KWD')).toBe('1.235');
    expect(minorToStornoMoney(500, 'ISK')).toBe('5.00');
    expect(formatMinorForDisplay(500, 'ISK')).toBe('5');
    expect(minorToStornoMoney(12100, 'ron')).toBe('121.00');
    expect(formatMinorForDisplay(-3000, 'eur')).toBe('-30.00');
  });
  it('round-trips big values exactly', () => {
    expect(minorToStornoMoney(Number.MAX_SAFE_INTEGER, 'RON')).toBe('90071992547409.91');
    expect(minorToStornoMoney(12345678901234567890n, 'RON')).toBe('123456789012345678.90');
    expect(() => minorToMajor(1.5, 'RON')).toThrow(RangeError);
  });
  it('has no float drift (0.1 + 0.2, 1.005)', () => {
    expect(formatMoney(minorToMajor(10, 'RON').plus(minorToMajor(20, 'RON')))).toBe('0.30');
    expect(formatMoney('1.005')).toBe('1.01'); // a float would give 1.00
    expect(formatMoney(new Big('8.2575'))).toBe('8.26');
    let sum = new Big(0);
    for (let i = 0; i < 1000; i++) sum = sum.plus(minorToMajor(1, 'RON'));
    expect(formatMoney(sum)).toBe('10.00');
  });
  it('rounds half away from zero (like PHP round) and never prints -0.00', () => {
    expect(roundHalfUp('-2.345', 2).toFixed(2)).toBe('-2.35');
    expect(formatMoney('-0.001')).toBe('0.00');
    expect(formatQuantity(3)).toBe('3.0000');
    expect(formatQuantity('-1')).toBe('-1.0000');
    expect(formatRate(21)).toBe('21.00');
  });
});

describe('bucharestDate', () => {
  it('uses the Romanian calendar day across DST', () => {
    expect(bucharestDate(ts('2026-10-31T22:30:00Z'))).toBe('2026-11-01'); // EET, UTC+2
    expect(bucharestDate(ts('2026-10-31T21:59:00Z'))).toBe('2026-10-31');
    expect(bucharestDate(ts('2026-07-31T21:30:00Z'))).toBe('2026-08-01'); // EEST, UTC+3
    expect(bucharestDate(ts('2026-07-31T20:59:00Z'))).toBe('2026-07-31');
    expect(bucharestDate(ts('2026-03-29T00:30:00Z'))).toBe('2026-03-29'); // the spring-forward night
  });
});
