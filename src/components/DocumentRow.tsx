// One line of the recent-documents list; failed ones show why and how to retry.
import { Box, Button, Inline } from '@stripe/ui-extension-sdk/ui';
import type { DocumentSummary } from '../api/contract';
import type { I18n } from '../i18n';
import { ConfirmedButton } from './Confirm';
import { documentTitle } from './Document';
import StatusBadge from './StatusBadge';

export function failureReason(i18n: I18n, doc: DocumentSummary): string | null {
  const { t } = i18n;
  if (doc.providerError) return [doc.providerError, ...i18n.providerNotes(doc.providerError)].join(' · ');
  if (doc.problem?.kind === 'preflight') return doc.problem.checks.map((check) => i18n.preflight(check)).join(' · ') || t.blockedReason;
  if (doc.problem?.kind === 'total_mismatch') {
    const p = doc.problem;
    return t.mismatchBody(i18n.money(p.expected, p.currency), i18n.money(p.actual, p.currency), i18n.money(p.difference, p.currency));
  }
  if (doc.status === 'blocked') return t.blockedReason;
  return null;
}

/** "Issue anyway" for a document whose total differs from Stripe's: sends the other amount to ANAF, after a confirmation. */
export const IssueAnywayButton = ({ i18n, doc, pending, onIssueAnyway }: Omit<DocumentRowProps, 'onRetry'>) => {
  const { t } = i18n;
  if (doc.problem?.kind !== 'total_mismatch') return null;
  return (
    <ConfirmedButton
      size="small"
      type="primary"
      label={t.issueAnyway}
      text={{
        title: t.issueAnywayConfirmTitle,
        description: t.issueAnywayConfirmBody(i18n.money(doc.problem.actual, doc.problem.currency)),
        confirmLabel: t.issueAnywayConfirm,
        cancelLabel: t.cancel,
      }}
      pending={pending}
      onConfirm={onIssueAnyway}
    />
  );
};

/** A document in a list with its two actions; the Home errors tab's obligation row takes the same. */
export interface DocumentRowProps {
  i18n: I18n;
  doc: DocumentSummary;
  pending: boolean;
  onRetry: () => void;
  onIssueAnyway: () => void;
}

export const DocumentRow = ({
  i18n,
  doc,
  pending,
  onRetry,
  onIssueAnyway,
}: DocumentRowProps) => {
  const { t } = i18n;
  const failed = doc.status === 'rejected' || doc.status === 'blocked';
  const reason = failed ? failureReason(i18n, doc) : null;
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', paddingY: 'small', keyline: 'neutral', padding: 'small', borderRadius: 'small' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
        <Inline css={{ font: 'bodyEmphasized' }}>{documentTitle(t, doc)}</Inline>
        <StatusBadge t={t} status={doc.status} />
      </Box>
      <Box css={{ stack: 'x', gap: 'small', distribute: 'space-between' }}>
        <Inline css={{ color: 'secondary' }}>{doc.clientName ?? t.unknownClient}</Inline>
        <Inline>{i18n.money(doc.total, doc.currency)}</Inline>
      </Box>
      {reason ? <Inline css={{ color: 'critical' }}>{reason}</Inline> : null}
      {failed ? (
        <Box css={{ stack: 'x', gap: 'small' }}>
          <Button size="small" onPress={onRetry} pending={pending}>
            {t.retry}
          </Button>
          <IssueAnywayButton i18n={i18n} doc={doc} pending={pending} onIssueAnyway={onIssueAnyway} />
        </Box>
      ) : null}
    </Box>
  );
};
