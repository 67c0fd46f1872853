// A second step before anything that reaches ANAF outside the normal flow (or changes what happens by itself):
// what will happen, then "Yes, …" or Cancel.
import { useState } from 'react';
import { Banner, Box, Button } from '@stripe/ui-extension-sdk/ui';

export interface ConfirmText {
  title: string;
  description: string;
  confirmLabel: string;
  cancelLabel: string;
}

export const ConfirmStep = ({ text, pending, onConfirm, onCancel }: { text: ConfirmText; pending: boolean; onConfirm: () => void; onCancel: () => void }) => (
  <Box css={{ stack: 'y', gap: 'small' }}>
    <Banner type="caution" title={text.title} description={text.description} />
    <Box css={{ stack: 'x', gap: 'small' }}>
      <Button type="primary" pending={pending} onPress={onConfirm}>
        {text.confirmLabel}
      </Button>
      <Button onPress={onCancel}>{text.cancelLabel}</Button>
    </Box>
  </Box>
);

/** A button whose action runs only after the confirmation step. */
export function ConfirmedButton({
  label,
  text,
  pending,
  onConfirm,
  type = 'secondary',
  size,
}: {
  label: string;
  text: ConfirmText;
  pending: boolean;
  onConfirm: () => void;
  type?: 'primary' | 'secondary';
  size?: 'small';
}) {
  const [asking, setAsking] = useState(false);
  if (asking) {
    return (
      <ConfirmStep
        text={text}
        pending={pending}
        onConfirm={() => {
          setAsking(false);
          onConfirm();
        }}
        onCancel={() => setAsking(false)}
      />
    );
  }
  return (
    <Box>
      <Button type={type} size={size} pending={pending} onPress={() => setAsking(true)}>
        {label}
      </Button>
    </Box>
  );
}
