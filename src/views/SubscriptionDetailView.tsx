// Subscription page: plan, price per cycle (labelled with or without VAT), interval, status; every billing cycle
// (days included, gross with net) with its e-invoice, and "Create e-invoice" exactly where the backend takes it.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Box, Button, ContextView, Inline } from '@stripe/ui-extension-sdk/ui';
import type { SubscriptionCycle } from '../api/contract';
import type { StornoClient } from '../api/client';
import { useActions, useResource, useStorno, isMoving } from '../api/hooks';
import { DocumentFiles, DocumentPanel, createdToast, documentTitle } from '../components/Document';
import { ActionError, MissingObject, Muted, ResourceView, Section } from '../components/States';
import StatusBadge from '../components/StatusBadge';
import { useI18n, type I18n } from '../i18n';

type Actions = ReturnType<typeof useActions>;

const Cycle = ({ i18n, client, subscriptionId, cycle, actions }: { i18n: I18n; client: StornoClient; subscriptionId: string; cycle: SubscriptionCycle; actions: Actions }) => {
  const { t } = i18n;
  const key = `cycle:${cycle.invoiceId}`;
  const create = (issueAnyway = false) =>
    void actions.run(key, () => client.createCycleEinvoice(subscriptionId, cycle.invoiceId, issueAnyway ? { issueAnyway: true } : {}), (result) => createdToast(t, result));
  const doc = cycle.document;
  return (
    <Box css={{ stack: 'y', gap: 'small', padding: 'small', keyline: 'neutral', borderRadius: 'small' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
        <Inline css={{ font: 'bodyEmphasized' }}>{`${i18n.date(cycle.periodStart)} – ${i18n.date(cycle.periodEnd)}`}</Inline>
        {doc ? <StatusBadge t={t} status={doc.status} /> : <Inline css={{ color: 'secondary' }}>{t.notInvoiced}</Inline>}
      </Box>
      <Box css={{ stack: 'x', gap: 'small', distribute: 'space-between' }}>
        <Inline>{`${t.cycleGross}: ${i18n.money(cycle.amount, cycle.currency)} (${i18n.money(cycle.net, cycle.currency)} ${t.cycleNet})`}</Inline>
        <Inline css={{ color: 'secondary' }}>{`${cycle.number ?? cycle.invoiceId} · ${i18n.stripeStatus(cycle.stripeStatus)}`}</Inline>
      </Box>
      {doc ? (
        doc.status === 'rejected' || doc.problem ? (
          <DocumentPanel
            i18n={i18n}
            client={client}
            doc={doc}
            pending={actions.pending === key}
            onRetry={() => void actions.run(key, () => client.retryDocument(doc.id), t.toastRetried)}
            onRecheck={() => create()}
            onIssueAnyway={() => create(true)}
          />
        ) : (
          <Box css={{ stack: 'y', gap: 'xsmall' }}>
            <Inline css={{ color: 'secondary' }}>{doc.status === 'pending' ? `${documentTitle(t, doc)} · ${t.pendingHint}` : documentTitle(t, doc)}</Inline>
            <DocumentFiles i18n={i18n} client={client} doc={doc} />
          </Box>
        )
      ) : cycle.canCreate ? (
        <Box>
          <Button size="small" type="primary" pending={actions.pending === key} onPress={() => create()}>
            {t.createEinvoice}
          </Button>
        </Box>
      ) : (
        <Muted>{cycle.cannotCreateReason ? t.cannotCreateReason[cycle.cannotCreateReason] : t.cannotCreate}</Muted>
      )}
    </Box>
  );
};

const SubscriptionDetailView = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const subscriptionId = context.environment?.objectContext?.id ?? null;
  const { state, reload, reset } = useResource(
    client,
    subscriptionId,
    (c) => c.getSubscription(subscriptionId ?? ''),
    (d) => d.cycles.some((cycle) => isMoving(cycle.document)),
  );
  const actions = useActions({ failed: t.toastFailed }, reload);

  return (
    <ContextView title={t.subscriptionTitle}>
      {subscriptionId ? (
        <ResourceView state={state} i18n={i18n} client={client} onReload={() => void reset()}>
          {({ subscription, cycles }) => (
            <Box css={{ stack: 'y', gap: 'large' }}>
              <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} onConfirmLate={actions.confirmLate} />
              <Box css={{ stack: 'y', gap: 'xsmall' }}>
                <Inline css={{ font: 'bodyEmphasized' }}>{subscription.plan}</Inline>
                <Box css={{ stack: 'x', gap: 'small', alignY: 'baseline' }}>
                  <Inline css={{ font: 'heading' }}>{i18n.money(subscription.amount, subscription.currency)}</Inline>
                  <Inline>{`${subscription.amountIncludesVat ? t.priceInclVat : t.priceExclVat} · ${t.interval(subscription.intervalCount, subscription.interval)}`}</Inline>
                </Box>
                <Inline css={{ color: 'secondary' }}>{i18n.stripeStatus(subscription.status)}</Inline>
              </Box>
              <Section title={t.billingCycles}>
                {cycles.length === 0 ? (
                  <Muted>{t.cyclesEmpty}</Muted>
                ) : (
                  cycles.map((cycle) => <Cycle key={cycle.invoiceId} i18n={i18n} client={client} subscriptionId={subscription.id} cycle={cycle} actions={actions} />)
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

export default SubscriptionDetailView;
