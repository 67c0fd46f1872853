// The preview bar: which Dashboard page and object, the Dashboard locale, and buttons that make the
// Stripe fake emit webhook events (a new successful payment, a refund of the selected payment).
import type { ReactNode } from 'react';
import { LOCALES, VIEWPORTS, VIEWPORT_KEYS, type DemoObject, type Locale, type Selection, type ViewportKey } from './selection';

export interface BarProps {
  selection: Selection;
  /** Objects to offer for the current viewport. */
  objects: DemoObject[];
  busy: boolean;
  status: ReactNode;
  onSelect(next: Selection): void;
  onViewport(viewport: ViewportKey): void;
  onPayment(): void;
  onRefund(): void;
}

const label = (object: DemoObject) => {
  const text = object.description ? `${object.id} — ${object.description}` : object.id;
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
};

export function Bar({ selection, objects, busy, status, onSelect, onViewport, onPayment, onRefund }: BarProps) {
  const needsObject = VIEWPORTS[selection.viewport].object !== null;
  const canRefund = selection.viewport === 'payment' && Boolean(selection.object);
  return (
    <header className="pv-bar">
      <strong className="pv-bar-title">Dashboard preview</strong>
      <label>
        Page{' '}
        <select name="viewport" value={selection.viewport} onChange={(event) => onViewport(event.target.value as ViewportKey)}>
          {VIEWPORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {VIEWPORTS[key].label}
            </option>
          ))}
        </select>
      </label>
      {needsObject ? (
        <label>
          Object{' '}
          <select name="object" value={selection.object ?? ''} onChange={(event) => onSelect({ ...selection, object: event.target.value || null })}>
            {objects.map((object) => (
              <option key={object.id} value={object.id}>
                {label(object)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Locale{' '}
        <select name="locale" value={selection.locale} onChange={(event) => onSelect({ ...selection, locale: event.target.value as Locale })}>
          {LOCALES.map((locale) => (
            <option key={locale} value={locale}>
              {locale}
            </option>
          ))}
        </select>
      </label>
      <span className="pv-bar-events">
        <button type="button" disabled={busy} onClick={onPayment} title="The Stripe fake creates a paid payment and sends its webhook events to the backend">
          Payment succeeded
        </button>
        <button type="button" disabled={busy || !canRefund} onClick={onRefund} title="Refund what is left of the selected payment (webhook events included)">
          Refund
        </button>
      </span>
      <span className="pv-bar-status" role="status">
        {status}
      </span>
    </header>
  );
}
