// "Connect Storno.ro": the RFC 8628 device flow, usable from settings and from any view that is not connected.
import { Banner, Box, Button, Inline, Spinner } from '@stripe/ui-extension-sdk/ui';
import type { ConnectionProblem, StornoClient } from '../api/client';
import { useDeviceFlow } from '../api/hooks';
import type { I18n } from '../i18n';

export const ConnectFlow = ({ i18n, client, onConnected }: { i18n: I18n; client: StornoClient; onConnected: () => void }) => {
  const { t } = i18n;
  const { state, start, openApproval } = useDeviceFlow(client, onConnected, t.toastConnected);
  switch (state.phase) {
    case 'idle':
      return (
        <Box>
          <Button type="primary" onPress={() => void start()}>
            {t.connect}
          </Button>
        </Box>
      );
    case 'starting':
      return (
        <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
          <Spinner size="small" />
          <Inline>{t.connectStarting}</Inline>
        </Box>
      );
    case 'ready':
      return (
        // Polling already runs (also after a reload, from the Secret Store): the link only opens the consent page.
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Inline css={{ color: 'secondary' }}>{t.openStornoHint}</Inline>
          <Box>
            <Button type="primary" href={state.grant.verification_uri_complete} target="_blank" onPress={openApproval}>
              {t.openStorno}
            </Button>
          </Box>
          <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
            <Spinner size="small" />
            <Inline>{t.waitingApproval}</Inline>
          </Box>
          <Inline css={{ color: 'secondary', font: 'caption' }}>{t.fallbackCode(state.grant.verification_uri, state.grant.user_code)}</Inline>
        </Box>
      );
    case 'connected':
      return <Inline>{t.toastConnected}</Inline>;
    default: {
      const [title, description] =
        state.phase === 'denied'
          ? [t.deniedTitle, t.deniedBody]
          : state.phase === 'expired'
            ? [t.expiredTitle, t.expiredBody]
            : [t.connectErrorTitle, state.message];
      return (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Banner type="critical" title={title} description={description} />
          <Box>
            <Button type="primary" onPress={() => void start()}>
              {t.tryAgain}
            </Button>
          </Box>
        </Box>
      );
    }
  }
};

/** Shown instead of a view's content when there are no (valid) tokens. */
export const NotConnected = ({
  i18n,
  client,
  reason,
  onConnected,
}: {
  i18n: I18n;
  client: StornoClient;
  reason: ConnectionProblem;
  onConnected: () => void;
}) => {
  const { t } = i18n;
  const reauth = reason === 'reauthorization_required';
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Banner type={reauth ? 'caution' : 'default'} title={reauth ? t.reauthTitle : t.notConnectedTitle} description={reauth ? t.reauthBody : t.notConnectedBody} />
      <ConnectFlow i18n={i18n} client={client} onConnected={onConnected} />
    </Box>
  );
};
