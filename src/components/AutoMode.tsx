// The auto-mode switch (home and settings). Turning it on asks first and says what will happen from now on;
// turning it off is immediate. The description sits outside the switch so reading it (clicking it) toggles nothing.
import { useState } from 'react';
import { Box, Inline, Switch } from '@stripe/ui-extension-sdk/ui';
import type { I18n } from '../i18n';
import { ConfirmStep } from './Confirm';

export const AutoModeSwitch = ({ i18n, enabled, pending, onChange }: { i18n: I18n; enabled: boolean; pending: boolean; onChange: (next: boolean) => void }) => {
  const { t } = i18n;
  const [asking, setAsking] = useState(false);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall' }}>
      <Switch label={t.autoMode} checked={enabled} disabled={pending || asking} onChange={() => (enabled ? onChange(false) : setAsking(true))} />
      <Inline css={{ color: 'secondary', font: 'caption' }}>{t.autoModeDescription}</Inline>
      {asking ? (
        <ConfirmStep
          text={{ title: t.autoModeConfirmTitle, description: t.autoModeConfirmBody, confirmLabel: t.autoModeConfirm, cancelLabel: t.cancel }}
          pending={pending}
          onConfirm={() => {
            setAsking(false);
            onChange(true);
          }}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </Box>
  );
};
