// Home's "what needs me today?" (issue 12): tiles that add up, and the rows of every obligation that needs the
// merchant — documents and sales with no document yet — with the reason, the deadline, the action and the Stripe object.
import { Box, Button, Inline, Link } from '@stripe/ui-extension-sdk/ui';
import type { DashboardResponse, DocumentSummary, FailedEvent } from '../api/contract';
import type { I18n } from '../i18n';
import { failureReason, IssueAnywayButton, type DocumentRowProps } from './DocumentRow';
import StatusBadge from './StatusBadge';

type StripeRoute = { name: 'invoiceDetails'; params: { invoiceId: string } } | { name: 'paymentDetails'; params: { paymentId: string } };

/** The Dashboard page of a Stripe object, by its id (refunds open their payment when the document knows it). */
export function stripeRoute(id: string | null): StripeRoute | null {
  if (!id) return null;
  if (id.startsWith('in_')) return { name: 'invoiceDetails', params: { invoiceId: id } };
  if (/^(pi|ch|py)_/.test(id)) return { name: 'paymentDetails', params: { paymentId: id } };
  return null;
}

const routeOf = (doc: DocumentSummary) => stripeRoute(doc.stripeObjectId) ?? stripeRoute(doc.obligation.detail?.match(/\b(?:in|pi|ch|py)_[A-Za-z0-9]+/)?.[0] ?? null);

const Tile = ({ label, value, tone }: { label: string; value: number; tone?: 'critical' | 'attention' }) => (
  <Box css={{ stack: 'y', gap: 'xxsmall', padding: 'small', backgroundColor: 'container', borderRadius: 'small' }}>
    <Inline css={{ font: 'caption', color: 'secondary' }}>{label}</Inline>
    <Inline css={{ font: 'heading', color: value > 0 && tone ? tone : 'primary' }}>{String(value)}</Inline>
  </Box>
);

/** Four tiles that partition the documents, then the two deadline figures. */
export const Tiles = ({ i18n, tiles }: { i18n: I18n; tiles: DashboardResponse['tiles'] }) => {
  const { t } = i18n;
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ display: 'grid', gridColumns: 2, gap: 'small' }}>
        <Tile label={t.tileValidated} value={tiles.validated} />
        <Tile label={t.tileInProgress} value={tiles.inProgress} />
        <Tile label={t.tileNeedsAction} value={tiles.needsAction} tone="critical" />
        <Tile label={t.tileDraftOrIssued} value={tiles.draftOrIssued} />
      </Box>
      <Box css={{ display: 'grid', gridColumns: 2, gap: 'small' }}>
        <Tile label={t.tileDueSoon} value={tiles.dueSoon} tone="attention" />
        <Tile label={t.tileOverdue} value={tiles.overdue} tone="critical" />
      </Box>
    </Box>
  );
};

export const ObligationRow = ({
  i18n,
  doc,
  pending,
  onRetry,
  onIssueAnyway,
}: DocumentRowProps) => {
  const { t } = i18n;
  const { state, action, detail } = doc.obligation;
  const route = routeOf(doc);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', keyline: 'neutral', padding: 'small', borderRadius: 'small' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
        <Inline css={{ font: 'bodyEmphasized' }}>{`${t.kind[doc.kind]} · ${doc.clientName ?? t.unknownClient}`}</Inline>
        <StatusBadge t={t} status={doc.status} />
      </Box>
      <Inline css={{ color: state === 'failed' || state === 'blocked' ? 'critical' : 'secondary' }}>{t.obligationState[state]}</Inline>
      {detail ?? failureReason(i18n, doc) ? <Inline>{detail ?? failureReason(i18n, doc)}</Inline> : null}
      {doc.deadline ? <Inline css={{ color: 'secondary' }}>{t.uploadBy(i18n.date(doc.deadline))}</Inline> : null}
      {doc.lateSubmission ? <Inline css={{ color: 'attention' }}>{t.lateSubmission}</Inline> : null}
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
        {action === 'retry' || action === 'fix_in_storno' || action === 'ask_storno_admin' || action === 'fix_in_stripe' ? (
          <Button size="small" onPress={onRetry} pending={pending}>
            {t.retry}
          </Button>
        ) : null}
        {action === 'confirm' ? <IssueAnywayButton i18n={i18n} doc={doc} pending={pending} onIssueAnyway={onIssueAnyway} /> : null}
        {action && action !== 'retry' && action !== 'confirm' ? <Inline css={{ color: 'secondary' }}>{t.obligationAction[action]}</Inline> : null}
        {route ? <Link href={route}>{t.openInStripe}</Link> : null}
      </Box>
    </Box>
  );
};

/** A sale whose webhook event failed before it had a document. */
export const FailedEventRow = ({ i18n, event, pending, onRetry }: { i18n: I18n; event: FailedEvent; pending: boolean; onRetry: () => void }) => {
  const { t } = i18n;
  const route = stripeRoute(event.stripeObjectId);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', keyline: 'neutral', padding: 'small', borderRadius: 'small' }}>
      <Inline css={{ font: 'bodyEmphasized' }}>{t.noDocumentYet(event.type)}</Inline>
      <Inline css={{ color: 'critical' }}>{event.error}</Inline>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
        <Button size="small" onPress={onRetry} pending={pending}>
          {t.retry}
        </Button>
        {route ? <Link href={route}>{t.openInStripe}</Link> : null}
      </Box>
    </Box>
  );
};
