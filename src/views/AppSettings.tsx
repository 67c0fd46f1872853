// Settings: connection status, company, who authorized it and when, auto mode, Disconnect (with a
// confirmation step) and Connect Storno.ro (device flow).
import { useState } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Badge, Banner, Box, Button, Inline, SettingsView } from '@stripe/ui-extension-sdk/ui';
import type { ConnectionStatus, SettingsResponse } from '../api/contract';
import type { StornoClient } from '../api/client';
import { useActions, useResource, useStorno } from '../api/hooks';
import { AutoModeSwitch } from '../components/AutoMode';
import { ConnectFlow, NotConnected } from '../components/Connect';
import { ActionError, LoadError, Loading } from '../components/States';
import { useI18n, type I18n } from '../i18n';

const CONNECTION_BADGE = { connected: 'positive', disconnected: 'neutral', reauthorization_required: 'warning' } as const;

const ConnectionBadge = ({ i18n, status }: { i18n: I18n; status: ConnectionStatus }) => (
  <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
    <Inline css={{ font: 'bodyEmphasized' }}>{i18n.t.connectionLabel}</Inline>
    <Badge type={CONNECTION_BADGE[status]}>{i18n.t.connection[status]}</Badge>
  </Box>
);

const Field = ({ label, value }: { label: string; value: string }) => (
  <Box css={{ stack: 'y', gap: 'xxsmall' }}>
    <Inline css={{ font: 'caption', color: 'secondary' }}>{label}</Inline>
    <Inline>{value}</Inline>
  </Box>
);

const Connected = ({
  i18n,
  client,
  settings,
  actions,
}: {
  i18n: I18n;
  client: StornoClient;
  settings: SettingsResponse;
  actions: ReturnType<typeof useActions>;
}) => {
  const { t } = i18n;
  const [confirming, setConfirming] = useState(false);
  const who = settings.authorizedBy ? `${settings.authorizedBy.name} (${settings.authorizedBy.email})` : t.none;
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Field label={t.companyLabel} value={settings.company?.name ?? t.none} />
        <Field label={t.cifLabel} value={settings.company?.cif ?? t.none} />
        <Field label={t.authorizedByLabel} value={who} />
        <Field label={t.authorizedAtLabel} value={i18n.dateTime(settings.authorizedAt)} />
        <Field label={t.defaultVatLabel} value={i18n.percent(settings.defaultVatRate)} />
      </Box>
      <AutoModeSwitch
        i18n={i18n}
        enabled={settings.autoMode}
        pending={actions.pending === 'autoMode'}
        onChange={(next) => void actions.run('autoMode', () => client.updateSettings({ autoMode: next }), next ? t.toastAutoOn : t.toastAutoOff)}
      />
      {confirming ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Banner type="critical" title={t.disconnectConfirmTitle} description={t.disconnectConfirmBody} />
          <Box css={{ stack: 'x', gap: 'small' }}>
            <Button
              type="destructive"
              pending={actions.pending === 'disconnect'}
              onPress={() => void actions.run('disconnect', () => client.disconnect(), t.toastDisconnected)}
            >
              {t.disconnectConfirm}
            </Button>
            <Button onPress={() => setConfirming(false)}>{t.cancel}</Button>
          </Box>
        </Box>
      ) : (
        <Box>
          <Button type="destructive" onPress={() => setConfirming(true)}>
            {t.disconnect}
          </Button>
        </Box>
      )}
    </Box>
  );
};

const AppSettings = (context: ExtensionContextValue) => {
  const i18n = useI18n(context);
  const { t } = i18n;
  const client = useStorno(context);
  const { state, reload, reset } = useResource(client, 'settings', (c) => c.getSettings());
  const actions = useActions({ failed: t.toastFailed }, reload);

  let content;
  switch (state.status) {
    case 'loading':
      content = <Loading i18n={i18n} />;
      break;
    case 'error':
      content = <LoadError i18n={i18n} failure={state} onRetry={() => void reset()} />;
      break;
    case 'not_connected':
      content = (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <ConnectionBadge i18n={i18n} status={state.reason} />
          <NotConnected i18n={i18n} client={client} reason={state.reason} onConnected={() => void reset()} />
        </Box>
      );
      break;
    default:
      content = (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <ConnectionBadge i18n={i18n} status={state.data.status} />
          <ActionError i18n={i18n} message={actions.error} onDismiss={actions.clearError} />
          {state.data.status === 'connected' ? (
            <Connected i18n={i18n} client={client} settings={state.data} actions={actions} />
          ) : (
            <ConnectFlow i18n={i18n} client={client} onConnected={() => void reset()} />
          )}
        </Box>
      );
  }

  return (
    <SettingsView>
      <Box css={{ stack: 'y', gap: 'medium' }}>
        <Inline css={{ font: 'heading' }}>{t.settingsTitle}</Inline>
        {content}
      </Box>
    </SettingsView>
  );
};

export default AppSettings;
