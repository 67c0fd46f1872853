import { Badge } from '@stripe/ui-extension-sdk/ui';
import type { DocumentStatus } from '../api/contract';
import type { Strings } from '../i18n';

type BadgeType = 'neutral' | 'urgent' | 'warning' | 'negative' | 'positive' | 'info';

/** One colour per document status, the same on every page. */
export const STATUS_BADGE: Record<DocumentStatus, BadgeType> = {
  validated: 'positive',
  rejected: 'negative',
  blocked: 'negative',
  sent_to_provider: 'info',
  issued: 'neutral',
  draft: 'neutral',
  pending: 'warning',
  cancelled: 'neutral',
};

export const statusLabel = (t: Strings, status: string): string => (t.status as Record<string, string>)[status] ?? status;

const StatusBadge = ({ status, t }: { status: string; t: Strings }) => (
  <Badge type={STATUS_BADGE[status as DocumentStatus] ?? 'neutral'}>{statusLabel(t, status)}</Badge>
);

export default StatusBadge;
