// Loading, load error, action error and not-connected states shared by every view.
import type { ReactNode } from 'react';
import { Banner, Box, Button, Inline, Spinner } from '@stripe/ui-extension-sdk/ui';
import type { StornoClient } from '../api/client';
import type { Failure, Resource } from '../api/hooks';
import type { I18n } from '../i18n';
import { NotConnected } from './Connect';

export const Loading = ({ i18n }: { i18n: I18n }) => (
  <Box css={{ stack: 'x', gap: 'small', alignY: 'center', padding: 'medium' }}>
    <Spinner size="small" />
    <Inline css={{ color: 'secondary' }}>{i18n.t.loading}</Inline>
  </Box>
);

/** Titles that say where a load failed: the object is missing in Stripe, Stripe is down, or (else) our side. */
const loadErrorTitle = (i18n: I18n, code: string | null): string => {
  if (code === 'stripe_object_not_found') return i18n.t.notFoundTitle;
  if (code === 'stripe_unavailable' || code === 'stripe_error') return i18n.t.stripeUnavailableTitle;
  return i18n.t.loadErrorTitle;
};

export const LoadError = ({ i18n, failure, onRetry }: { i18n: I18n; failure: Failure; onRetry: () => void }) => (
  <Box css={{ stack: 'y', gap: 'small' }}>
    <Banner type="critical" title={loadErrorTitle(i18n, failure.code)} description={i18n.apiError(failure.code, failure.message)} />
    <Box>
      <Button onPress={onRetry}>{i18n.t.tryAgain}</Button>
    </Box>
  </Box>
);

/** The last action's failure, worded by its code in the UI language (a plain string is shown as it is). */
export const ActionError = ({
  i18n,
  message,
  onDismiss,
  onConfirmLate,
}: {
  i18n: I18n;
  message: Failure | string | null;
  onDismiss: () => void;
  onConfirmLate?: () => void;
}) => {
  if (!message) return null;
  const text = typeof message === 'string' ? message : i18n.apiError(message.code, message.message);
  // Past its upload deadline (issue 12): say so in the merchant's language, and let them make it anyway.
  if (onConfirmLate) {
    const late = typeof message === 'string' ? undefined : message.details;
    const description =
      typeof late?.issueDate === 'string' && typeof late.deadline === 'string' ? i18n.t.lateDescription(late.issueDate, late.deadline) : text;
    return (
      <Banner
        type="caution"
        title={i18n.t.lateTitle}
        description={description}
        onDismiss={onDismiss}
        actions={<Button onPress={onConfirmLate}>{i18n.t.createAnywayLate}</Button>}
      />
    );
  }
  return <Banner type="critical" title={i18n.t.actionErrorTitle} description={text} onDismiss={onDismiss} />;
};

export const Muted = ({ children }: { children: ReactNode }) => <Inline css={{ color: 'secondary' }}>{children}</Inline>;

export const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box css={{ stack: 'y', gap: 'small' }}>
    <Inline css={{ font: 'subheading' }}>{title}</Inline>
    {children}
  </Box>
);

/** Renders `children(data)` once loaded; otherwise the matching state. */
export function ResourceView<T>({
  state,
  i18n,
  client,
  onReload,
  children,
}: {
  state: Resource<T>;
  i18n: I18n;
  client: StornoClient;
  onReload: () => void;
  children: (data: T) => ReactNode;
}) {
  switch (state.status) {
    case 'loading':
      return <Loading i18n={i18n} />;
    case 'not_connected':
      return <NotConnected i18n={i18n} client={client} reason={state.reason} onConnected={onReload} />;
    case 'error':
      return <LoadError i18n={i18n} failure={state} onRetry={onReload} />;
    default:
      return <>{children(state.data)}</>;
  }
}

/** A detail view opened without the object it expects. */
export const MissingObject = ({ i18n }: { i18n: I18n }) => <Muted>{i18n.t.wrongObject}</Muted>;
