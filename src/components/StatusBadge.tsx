import { Badge } from '@stripe/ui-extension-sdk/ui';
import type { DocumentStatus } from '../api/contract';
import type { I18n, Strings } from '../i18n';

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

/** Storno's own invoice statuses (a client's history), coloured like ours where they mean the same. */
const STORNO_BADGE: Record<string, BadgeType> = {
  validated: 'positive',
  paid: 'positive',
  rejected: 'negative',
  overdue: 'urgent',
  sent_to_provider: 'info',
  refund: 'info',
  refunded: 'neutral',
  cancelled: 'neutral',
};

export const statusLabel = (t: Strings, status: string): string => (t.status as Record<string, string>)[status] ?? t.unknownStatus;

const StatusBadge = ({ status, t }: { status: string; t: Strings }) => (
  <Badge type={STATUS_BADGE[status as DocumentStatus] ?? 'neutral'}>{statusLabel(t, status)}</Badge>
);

export const StornoStatusBadge = ({ status, i18n }: { status: string; i18n: I18n }) => (
  <Badge type={STORNO_BADGE[status] ?? 'neutral'}>{i18n.stornoStatus(status)}</Badge>
);

export default StatusBadge;
