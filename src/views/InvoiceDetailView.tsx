// Invoice page: amount and status, the linked e-invoice with the full pipeline, create when none exists.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Box, ContextView, Inline } from '@stripe/ui-extension-sdk/ui';
import { useActions, useResource, useStorno, isMoving } from '../api/hooks';
import { CreatePrompt, DocumentPanel, createdToast } from '../components/Document';
import { ActionError, MissingObject, ResourceView, Section } from '../components/States';
import { useI18n } from '../i18n';

const InvoiceDetailView = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const invoiceId = context.environment?.objectContext?.id ?? null;
  const { state, reload, reset } = useResource(client, invoiceId, (c) => c.getInvoice(invoiceId ?? ''), (d) => isMoving(d.document));
  const actions = useActions({ failed: t.toastFailed }, reload);
  const key = 'invoice';
  const create = (issueAnyway = false) =>
    void actions.run(key, () => client.createInvoiceEinvoice(invoiceId ?? '', issueAnyway ? { issueAnyway: true } : {}), (result) => createdToast(t, result));

  return (
    <ContextView title={t.invoiceTitle}>
      {invoiceId ? (
        <ResourceView state={state} i18n={i18n} client={client} onReload={() => void reset()}>
          {({ invoice, document, canCreate, cannotCreateReason }) => (
            <Box css={{ stack: 'y', gap: 'large' }}>
              <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} onConfirmLate={actions.confirmLate} />
              <Box css={{ stack: 'y', gap: 'xsmall' }}>
                <Box css={{ stack: 'x', gap: 'small', alignY: 'baseline' }}>
                  <Inline css={{ font: 'heading' }}>{i18n.money(invoice.amount, invoice.currency)}</Inline>
                  <Inline css={{ color: 'secondary' }}>{i18n.stripeStatus(invoice.status)}</Inline>
                </Box>
                <Inline css={{ color: 'secondary' }}>{[invoice.number, invoice.customerName].filter(Boolean).join(' · ')}</Inline>
              </Box>
              <Section title={t.einvoiceSection}>
                {document ? (
                  <DocumentPanel
                    i18n={i18n}
                    client={client}
                    doc={document}
                    pending={actions.pending === key}
                    onRetry={() => void actions.run(key, () => client.retryDocument(document.id), t.toastRetried)}
                    onRecheck={() => create()}
                    onIssueAnyway={() => create(true)}
                  />
                ) : (
                  <CreatePrompt
                    message={t.noDocumentInvoice}
                    canCreate={canCreate}
                    cannotCreate={cannotCreateReason ? t.cannotCreateReason[cannotCreateReason] : t.cannotCreate}
                    label={t.createEinvoice}
                    pending={actions.pending === key}
                    onCreate={() => create()}
                  />
                )}
              </Section>
            </Box>
          )}
        </ResourceView>
      ) : (
        <MissingObject i18n={i18n} />
      )}
    </ContextView>
  );
};

export default InvoiceDetailView;
