// Customer page: the matched Storno client and how it matched, its invoice history; or why nothing
// matched, what would be created, and "Create client" (disabled, with the reason, when Storno would refuse the
// data); a company client with the same e-mail offered for confirmation; clients passed over, and why.
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Badge, Banner, Box, Button, ContextView, Inline, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { CustomerResponse, StornoClientDetails } from '../api/contract';
import { useActions, useResource, useStorno } from '../api/hooks';
import { ActionError, Muted, ResourceView, Section } from '../components/States';
import { StornoStatusBadge } from '../components/StatusBadge';
import { displayNumber, useI18n, type I18n } from '../i18n';

export const formatAddress = (parts: (string | null | undefined)[]): string => parts.filter((part) => part && part.trim()).join(', ');

const ClientDetails = ({ i18n, client }: { i18n: I18n; client: StornoClientDetails }) => {
  const { t } = i18n;
  const address = formatAddress([client.address, client.city, client.county, client.country]);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall' }}>
      <Inline css={{ font: 'bodyEmphasized' }}>{client.name}</Inline>
      {client.cnp ? <Inline>{`${t.clientCnp}: ${client.cnp}`}</Inline> : <Inline>{`${t.clientCif}: ${client.cif ?? client.vatCode ?? t.none}`}</Inline>}
      <Inline>{`${t.clientEmail}: ${client.email ?? t.none}`}</Inline>
      <Inline>{`${t.clientAddress}: ${address || t.none}`}</Inline>
    </Box>
  );
};

const History = ({ i18n, history }: { i18n: I18n; history: CustomerResponse['history'] }) => {
  const { t } = i18n;
  if (history.length === 0) return <Muted>{t.historyEmpty}</Muted>;
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      {history.map((item) => (
        <Box key={item.id} css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
          <Box css={{ stack: 'y' }}>
            <Inline css={{ font: 'bodyEmphasized' }}>{displayNumber(item.number) ?? t.noNumberYet}</Inline>
            <Inline css={{ font: 'caption', color: 'secondary' }}>{i18n.date(item.issueDate)}</Inline>
          </Box>
          <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
            <Inline>{i18n.money(item.total, item.currency)}</Inline>
            <StornoStatusBadge i18n={i18n} status={item.status} />
          </Box>
        </Box>
      ))}
    </Box>
  );
};

const PassedOver = ({ i18n, items }: { i18n: I18n; items: CustomerResponse['passedOver'] }) => {
  if (!items?.length) return null;
  return (
    <Box css={{ stack: 'y', gap: 'xsmall' }}>
      <Inline css={{ font: 'caption', color: 'secondary' }}>{i18n.t.passedOverTitle}</Inline>
      {items.map((item) => (
        <Inline key={item.clientId} css={{ font: 'caption' }}>{`• ${item.name ?? i18n.t.unknownClient}: ${item.reason}`}</Inline>
      ))}
    </Box>
  );
};

/** Why nothing matched, in the UI language (the backend's English sentence when it sent no details). */
const NoMatchReason = ({ i18n, data }: { i18n: I18n; data: CustomerResponse }) => {
  const { t } = i18n;
  const details = data.noMatch;
  if (!details) return data.noMatchReason ? <Inline>{data.noMatchReason}</Inline> : null;
  const keys = [
    ...(details.taxIds.length ? [t.noMatchTaxId(details.taxIds.join(', '))] : []),
    ...(details.email ? [t.noMatchEmail(details.email)] : []),
    ...(details.name ? [t.noMatchName(details.name)] : []),
  ];
  return (
    <Box css={{ stack: 'y', gap: 'xsmall' }}>
      <Inline>{t.noMatchKeys(keys)}</Inline>
      {details.checks.length ? (
        <>
          <Inline>{t.noMatchChecks}</Inline>
          {details.checks.map((check, index) => (
            <Inline key={`${check.code}:${index}`}>{`• ${i18n.preflight(check)}`}</Inline>
          ))}
        </>
      ) : null}
    </Box>
  );
};

const CustomerDetailView = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const customerId = context.environment?.objectContext?.id ?? null;
  const { state, reload, reset } = useResource(client, customerId, (c) => c.getCustomer(customerId ?? ''));
  const actions = useActions({ failed: t.toastFailed }, reload);

  return (
    <ContextView title={t.customerTitle}>
      <ResourceView state={state} i18n={i18n} client={client} onReload={() => void reset()}>
        {(data) => (
          <Box css={{ stack: 'y', gap: 'large' }}>
            <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} />
            {data.match ? (
              <Box css={{ stack: 'y', gap: 'small' }}>
                <Box>
                  <Badge type="positive">{t.matchedBy[data.match.matchedBy]}</Badge>
                </Box>
                <ClientDetails i18n={i18n} client={data.match.client} />
                <PassedOver i18n={i18n} items={data.passedOver} />
              </Box>
            ) : (
              <Box css={{ stack: 'y', gap: 'small' }}>
                <Banner type="caution" title={t.noMatchTitle} />
                <NoMatchReason i18n={i18n} data={data} />
                {data.suggestedClient ? (
                  <Section title={t.suggestedClientTitle}>
                    <Inline css={{ font: 'bodyEmphasized' }}>{data.suggestedClient.name ?? t.unknownClient}</Inline>
                    <Inline css={{ color: 'secondary' }}>{t.suggestedClientHint}</Inline>
                    <Box>
                      <Button
                        pending={actions.pending === 'confirmClient'}
                        onPress={() => void actions.run('confirmClient', () => client.confirmClient(data.customer.id, data.suggestedClient!.clientId), t.toastClientConfirmed)}
                      >
                        {t.confirmClient}
                      </Button>
                    </Box>
                  </Section>
                ) : null}
                <PassedOver i18n={i18n} items={data.passedOver?.filter((p) => p.clientId !== data.suggestedClient?.clientId)} />
                {data.proposal ? (
                  <Section title={t.proposalTitle}>
                    <PropertyList>
                      <PropertyListItem label={t.proposalType} value={data.proposal.type === 'company' ? t.proposalCompany : t.proposalIndividual} />
                      <PropertyListItem label={t.clientName} value={data.proposal.name} />
                      {data.proposal.cnp ? (
                        <PropertyListItem label={t.clientCnp} value={data.proposal.cnp} />
                      ) : (
                        <PropertyListItem label={t.clientCif} value={data.proposal.cui ?? t.none} />
                      )}
                      <PropertyListItem label={t.proposalCountry} value={data.proposal.country} />
                      <PropertyListItem
                        label={t.clientAddress}
                        value={formatAddress([data.proposal.address, data.proposal.city, data.proposal.county]) || t.none}
                      />
                    </PropertyList>
                    {data.createBlockedReason ? <Banner type="critical" title={t.createClientBlocked} description={data.createBlockedReason} /> : null}
                    <Box>
                      <Button
                        type="primary"
                        disabled={Boolean(data.createBlockedReason)}
                        pending={actions.pending === 'createClient'}
                        onPress={() => void actions.run('createClient', () => client.createClient(data.customer.id), t.toastClientCreated)}
                      >
                        {t.createClient}
                      </Button>
                    </Box>
                  </Section>
                ) : null}
              </Box>
            )}
            <Section title={t.historyTitle}>
              <History i18n={i18n} history={data.history} />
            </Section>
          </Box>
        )}
      </ResourceView>
    </ContextView>
  );
};

export default CustomerDetailView;
