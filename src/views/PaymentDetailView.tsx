// Payment page (the object is a charge or a PaymentIntent): amount and status, the linked e-invoice with
// its pipeline and actions, and every refund with its credit note.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Banner, Box, Button, ContextView, Divider, Inline, Link, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { PaymentResponse, RefundResponse } from '../api/contract';
import type { StornoClient } from '../api/client';
import { useActions, useResource, useStorno, isMoving } from '../api/hooks';
import { ConfirmedButton } from '../components/Confirm';
import { CreatePrompt, DocumentPanel, createdToast } from '../components/Document';
import { ActionError, MissingObject, Muted, ResourceView, Section } from '../components/States';
import { useI18n, type I18n } from '../i18n';

type Run = ReturnType<typeof useActions>['run'];

const CoveredByInvoice = ({ i18n, invoiceId }: { i18n: I18n; invoiceId: string }) => (
  <Box css={{ stack: 'y', gap: 'xsmall' }}>
    <Inline>{i18n.t.coveredByInvoice(invoiceId)}</Inline>
    <Link href={{ name: 'invoiceDetails', params: { invoiceId } }}>{i18n.t.openInvoice}</Link>
  </Box>
);

const RefundCard = ({ i18n, client, item, run, pending }: { i18n: I18n; client: StornoClient; item: RefundResponse; run: Run; pending: string | null }) => {
  const { t } = i18n;
  const { refund, creditNote } = item;
  const key = `refund:${refund.id}`;
  // A standalone refund is a negative invoice, not a credit note: the toast says which one was made.
  const create = (request: { issueAnyway?: boolean; standalone?: boolean } = {}) =>
    void run(key, () => client.createCreditNote(refund.id, request), (made) =>
      made.status === 'pending' ? t.toastAccepted : request.standalone ? t.toastRefundInvoice : t.toastCreditNote,
    );
  const reason = item.reasonCode ? (t.refundReasonCode[item.reasonCode] ?? item.reason) : item.reason;
  return (
    <Box css={{ stack: 'y', gap: 'small', padding: 'small', keyline: 'neutral', borderRadius: 'small' }}>
      <Inline css={{ font: 'bodyEmphasized' }}>{t.refundTitle(i18n.money(refund.amount, refund.currency))}</Inline>
      <PropertyList>
        <PropertyListItem label={t.stripeStatusLabel} value={i18n.stripeStatus(refund.status)} />
        <PropertyListItem label={t.refundReasonLabel} value={refund.reason ? (t.refundReason[refund.reason] ?? refund.reason) : t.none} />
      </PropertyList>
      {creditNote ? (
        <DocumentPanel
          i18n={i18n}
          client={client}
          doc={creditNote}
          pending={pending === key}
          onRetry={() => void run(key, () => client.retryDocument(creditNote.id), t.toastRetried)}
          onRecheck={() => create(creditNote.kind === 'standalone_refund' ? { standalone: true } : {})}
          onIssueAnyway={() => create(creditNote.kind === 'standalone_refund' ? { standalone: true, issueAnyway: true } : { issueAnyway: true })}
        />
      ) : item.canCreate ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Muted>{t.noCreditNote}</Muted>
          <Box>
            <Button type="primary" pending={pending === key} onPress={() => create()}>
              {t.createCreditNote}
            </Button>
          </Box>
        </Box>
      ) : (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Banner type="caution" title={t.standaloneTitle} />
          {reason ? <Inline>{reason}</Inline> : null}
          {item.standaloneAllowed ? (
            <>
              <Muted>{t.standaloneHint}</Muted>
              <ConfirmedButton
                label={t.createStandalone}
                text={{
                  title: t.standaloneConfirmTitle,
                  description: t.standaloneConfirmBody(i18n.money(refund.amount, refund.currency)),
                  confirmLabel: t.standaloneConfirm,
                  cancelLabel: t.cancel,
                }}
                pending={pending === key}
                onConfirm={() => create({ standalone: true })}
              />
            </>
          ) : null}
        </Box>
      )}
    </Box>
  );
};

const Payment = ({ i18n, client, data, run, pending }: { i18n: I18n; client: StornoClient; data: PaymentResponse; run: Run; pending: string | null }) => {
  const { t } = i18n;
  const { payment, document } = data;
  const key = `payment:${payment.id}`;
  const invoiceId = payment.invoiceId;
  const create = (issueAnyway = false) =>
    void run(key, () => client.createPaymentEinvoice(payment.id, issueAnyway ? { issueAnyway: true } : {}), (made) => createdToast(t, made));
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'baseline' }}>
        <Inline css={{ font: 'heading' }}>{i18n.money(payment.amount, payment.currency)}</Inline>
        <Inline css={{ color: 'secondary' }}>{i18n.stripeStatus(payment.status)}</Inline>
      </Box>
      {payment.status === 'partially_refunded' ? <Muted>{`${t.amountRefunded}: ${i18n.money(payment.amountRefunded, payment.currency)}`}</Muted> : null}
      <Section title={t.einvoiceSection}>
        {document ? (
          <DocumentPanel
            i18n={i18n}
            client={client}
            doc={document}
            pending={pending === key}
            onRetry={() => void run(key, () => client.retryDocument(document.id), t.toastRetried)}
            onRecheck={() => create()}
            onIssueAnyway={() => create(true)}
          />
        ) : invoiceId ? (
          <CoveredByInvoice i18n={i18n} invoiceId={invoiceId} />
        ) : (
          <CreatePrompt
            message={t.noDocumentPayment}
            canCreate={data.canCreate}
            cannotCreate={['succeeded', 'refunded', 'partially_refunded'].includes(payment.status) ? t.cannotCreate : t.paymentNotSucceeded}
            label={t.createEinvoice}
            pending={pending === key}
            onCreate={() => create()}
          />
        )}
      </Section>
      <Divider />
      <Section title={t.refundsTitle}>
        {data.refunds.length === 0 ? (
          <Muted>{t.refundsEmpty}</Muted>
        ) : (
          data.refunds.map((item) => <RefundCard key={item.refund.id} i18n={i18n} client={client} item={item} run={run} pending={pending} />)
        )}
      </Section>
    </Box>
  );
};

const PaymentDetailView = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const object = context.environment?.objectContext;
  // The payment page gives a charge (ch_…) or a PaymentIntent (pi_…); the backend takes either id as-is.
  const paymentId = object && (object.object === 'charge' || object.object === 'payment_intent') ? object.id : null;
  const { state, reload, reset } = useResource(
    client,
    paymentId,
    (c) => c.getPayment(paymentId ?? ''),
    (d) => isMoving(d.document) || d.refunds.some((r) => isMoving(r.creditNote)),
  );
  const actions = useActions({ failed: t.toastFailed }, reload);

  return (
    <ContextView title={t.paymentTitle}>
      {paymentId ? (
        <ResourceView state={state} i18n={i18n} client={client} onReload={() => void reset()}>
          {(data) => (
            <Box css={{ stack: 'y', gap: 'medium' }}>
              <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} onConfirmLate={actions.confirmLate} />
              <Payment i18n={i18n} client={client} data={data} run={actions.run} pending={actions.pending} />
            </Box>
          )}
        </ResourceView>
      ) : (
        <MissingObject i18n={i18n} />
      )}
    </ContextView>
  );
};

export default PaymentDetailView;
