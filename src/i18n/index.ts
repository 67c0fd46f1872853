// Language from the Dashboard locale (`ro…` → Romanian, else English) and locale-aware formatting.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type { PreflightCheck } from '../api/contract';
import { en, type Strings } from './en';
import { ro } from './ro';

export type { Strings };
export type Language = 'ro' | 'en';

export const languageOf = (locale: string | undefined | null): Language => (locale?.toLowerCase().startsWith('ro') ? 'ro' : 'en');

export interface I18n {
  language: Language;
  /** BCP 47 locale used for numbers and dates. */
  locale: string;
  t: Strings;
  money(amount: string | null | undefined, currency: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  /** A Stripe object status (payment, invoice, refund, subscription) in words. */
  stripeStatus(status: string): string;
  /** A Storno invoice status (customer history) in words. */
  stornoStatus(status: string): string;
  /** A percentage from a decimal string: "21,00 %" in Romanian, "21.00%" in English. */
  percent(rate: string | null | undefined): string;
  /** A pre-flight check in the UI language (from its code and params; the backend's English if the code is new). */
  preflight(check: PreflightCheck): string;
  /** Short explanations, in the UI language, of the ANAF rules (BR-RO-…) a provider message cites. */
  providerNotes(message: string | null | undefined): string[];
  /** A backend error in the UI language, by its code; the backend's own message when the code is not known here. */
  apiError(code: string | null | undefined, message: string): string;
}

/** A document number worth showing: Storno's `DRAFT-…` placeholders are not numbers. */
export const displayNumber = (number: string | null | undefined): string | null => (number && !/^DRAFT-/i.test(number) ? number : null);

const RULE_ID = /\b(BR-RO-[A-Z]*\d+|BR-[A-Z]+-\d+|BR-\d+)\b/g;

const TIME_ZONE = 'Europe/Bucharest';

export function createI18n(locale: string | undefined | null): I18n {
  const language = languageOf(locale);
  const t = language === 'ro' ? ro : en;
  const bcp47 = language === 'ro' ? 'ro-RO' : locale && /^[a-z]{2}/i.test(locale) ? locale : 'en-US';
  const formatDate = (iso: string | null | undefined, options: Intl.DateTimeFormatOptions): string => {
    if (!iso) return t.none;
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    try {
      return new Intl.DateTimeFormat(bcp47, { ...options, timeZone: TIME_ZONE }).format(date);
    } catch {
      return iso;
    }
  };
  return {
    language,
    locale: bcp47,
    t,
    money(amount, currency) {
      if (amount == null || amount === '') return t.none;
      if (!currency) return amount;
      try {
        // A decimal string keeps its exact value (Intl.NumberFormat v3); no float rounding on the way.
        return new Intl.NumberFormat(bcp47, { style: 'currency', currency: currency.toUpperCase() }).format(amount as Intl.StringNumericLiteral);
      } catch {
        return `${amount} ${currency.toUpperCase()}`;
      }
    },
    date: (iso) => formatDate(iso, { dateStyle: 'medium' }),
    dateTime: (iso) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }),
    stripeStatus: (status) => t.stripeStatus[status] ?? t.unknownStatus,
    stornoStatus: (status) => t.stornoStatus[status] ?? t.unknownStatus,
    percent(rate) {
      if (rate == null || rate === '') return t.none;
      const formatted = new Intl.NumberFormat(bcp47, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rate as Intl.StringNumericLiteral);
      return language === 'ro' ? `${formatted}\u00a0%` : `${formatted}%`;
    },
    preflight(check) {
      // Without params the check comes from an older backend: its English sentence names values we don't have.
      const word = check.params ? t.preflight[check.code] : undefined;
      return word ? word(check.params ?? {}) : check.message;
    },
    providerNotes(message) {
      const rules = new Set(message?.match(RULE_ID) ?? []);
      return [...rules].flatMap((rule) => (t.providerRules[rule] ? [`${rule}: ${t.providerRules[rule]}`] : []));
    },
    apiError: (code, message) => (code && t.apiErrors[code]) || message,
  };
}

export const useI18n = (context: Pick<ExtensionContextValue, 'userContext'>): I18n => createI18n(context.userContext?.locale);
