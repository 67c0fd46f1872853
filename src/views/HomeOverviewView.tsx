// Home overview: "what needs me today?" — tiles that add up, due soon / overdue, auto mode, and documents by tab
// (All / Pending / Errors: every obligation that needs the merchant, sales with no document yet included).
import { useRef, useState } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Banner, Box, ContextView, Tab, TabList, TabPanel, TabPanels, Tabs } from '@stripe/ui-extension-sdk/ui';
import type { DashboardResponse, DashboardTab } from '../api/contract';
import { useActions, useResource, useStorno, isMoving } from '../api/hooks';
import { AutoModeSwitch } from '../components/AutoMode';
import { DocumentRow } from '../components/DocumentRow';
import { ConnectFlow, NotConnected } from '../components/Connect';
import { FailedEventRow, ObligationRow, Tiles } from '../components/Obligations';
import { PeriodCheck } from '../components/PeriodCheck';
import { ActionError, LoadError, Loading, Muted, Section } from '../components/States';
import { useI18n } from '../i18n';

const TABS: DashboardTab[] = ['all', 'pending', 'errors'];

const HomeOverviewView = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const [tab, setTab] = useState<DashboardTab>('all');
  const { state, reload, reset } = useResource(
    client,
    `dashboard:${tab}`,
    (c) => c.getDashboard(tab),
    // Auto mode adds documents at any time; otherwise only moving ones change.
    (d) => d.autoMode || d.documents.some(isMoving),
  );
  const actions = useActions({ failed: t.toastFailed }, reload);
  const last = useRef<DashboardResponse | null>(null);
  if (state.status === 'ready') last.current = state.data;
  const shown = state.status === 'ready' ? state.data : last.current;

  let content;
  if (state.status === 'not_connected') {
    last.current = null;
    content = <NotConnected i18n={i18n} client={client} reason={state.reason} onConnected={() => void reset()} />;
  } else if (!shown) {
    content = state.status === 'error' ? <LoadError i18n={i18n} failure={state} onRetry={() => void reset()} /> : <Loading i18n={i18n} />;
  } else {
    const empty = { all: t.emptyAll, pending: t.emptyPending, errors: t.emptyErrors }[tab];
    // One document's row and its actions, the same on every tab (the errors tab words it as an obligation).
    const rowProps = (doc: DashboardResponse['documents'][number]) => ({
      i18n,
      doc,
      pending: actions.pending === doc.id,
      onRetry: () => void actions.run(doc.id, () => client.retryDocument(doc.id), t.toastRetried),
      onIssueAnyway: () => void actions.run(doc.id, () => client.retryDocument(doc.id, { issueAnyway: true }), t.toastCreated),
    });
    const panel =
      state.status === 'loading' ? (
        <Loading i18n={i18n} />
      ) : state.status === 'error' ? (
        <LoadError i18n={i18n} failure={state} onRetry={() => void reset()} />
      ) : state.data.documents.length === 0 && state.data.failedEvents.length === 0 ? (
        <Muted>{empty}</Muted>
      ) : tab === 'errors' ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          {state.data.documents.map((doc) => (
            <ObligationRow key={doc.id} {...rowProps(doc)} />
          ))}
          {state.data.failedEvents.map((event) => (
            <FailedEventRow
              key={event.id}
              i18n={i18n}
              event={event}
              pending={actions.pending === event.id}
              onRetry={() => void actions.run(event.id, () => client.retryEvent(event.id), t.toastRetried)}
            />
          ))}
        </Box>
      ) : (
        <Box css={{ stack: 'y', gap: 'small' }}>
          {state.data.documents.map((doc) => (
            <DocumentRow key={doc.id} {...rowProps(doc)} />
          ))}
        </Box>
      );
    content = (
      <Box css={{ stack: 'y', gap: 'large' }}>
        <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} />
        {shown.connectionStatus === 'reauthorization_required' ? (
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Banner type="caution" title={t.reconnectBannerTitle} description={t.reconnectBannerBody} />
            <ConnectFlow i18n={i18n} client={client} onConnected={() => void reset()} />
          </Box>
        ) : null}
        <Tiles i18n={i18n} tiles={shown.tiles} />
        <AutoModeSwitch
          i18n={i18n}
          enabled={shown.autoMode}
          pending={actions.pending === 'autoMode'}
          onChange={(next) => void actions.run('autoMode', () => client.updateSettings({ autoMode: next }), next ? t.toastAutoOn : t.toastAutoOff)}
        />
        <PeriodCheck i18n={i18n} client={client} />
        <Section title={t.recentDocuments}>
          <Tabs selectedKey={tab} onSelectionChange={(key) => setTab(key as DashboardTab)}>
            <TabList>
              <Tab id="all">{t.tabAll}</Tab>
              <Tab id="pending">{t.tabPending}</Tab>
              <Tab id="errors">{t.tabErrors}</Tab>
            </TabList>
            <TabPanels>
              {TABS.map((id) => (
                <TabPanel key={id} id={id}>
                  <Box css={{ paddingY: 'small' }}>{id === tab ? panel : null}</Box>
                </TabPanel>
              ))}
            </TabPanels>
          </Tabs>
        </Section>
      </Box>
    );
  }

  return <ContextView title={t.homeTitle}>{content}</ContextView>;
};

export default HomeOverviewView;
