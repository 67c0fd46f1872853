// Language from the Dashboard locale (`ro…` → Romanian, else English) and locale-aware formatting.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
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
}

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
    stripeStatus: (status) => t.stripeStatus[status] ?? status,
  };
}

export const useI18n = (context: Pick<ExtensionContextValue, 'userContext'>): I18n => createI18n(context.userContext?.locale);
