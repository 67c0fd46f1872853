// A Storno document (e-invoice or credit note): status, the Draft → Issued → Sent to provider → Validated
// pipeline, its fiscal facts (BNR rate, assumptions, outside-scope buyers with "Send to ANAF anyway"), the
// provider's error with "Fix and resend" (and what the last fix changed), and pre-flight / total-mismatch
// problems with the action that fixes them.
import { Banner, Box, Button, Inline, PropertyList, PropertyListItem, TaskList, TaskListItem } from '@stripe/ui-extension-sdk/ui';
import type { DocumentProblem, DocumentStatus, DocumentSummary } from '../api/contract';
import type { I18n, Strings } from '../i18n';
import { Muted } from './States';
import StatusBadge from './StatusBadge';

type Step = 'not-started' | 'in-progress' | 'blocked' | 'complete';

/** How far along each status is: index of the last completed step (draft 0 … validated 3). */
const REACHED: Record<DocumentStatus, number> = { pending: -1, blocked: -1, draft: 0, issued: 1, sent_to_provider: 2, validated: 3, rejected: 2, cancelled: -1 };

export function pipelineSteps(t: Strings, status: DocumentStatus): { title: string; status: Step }[] {
  const reached = REACHED[status] ?? -1;
  const titles = [t.pipelineDraft, t.pipelineIssued, t.pipelineSent, status === 'rejected' ? t.pipelineRejected : t.pipelineValidated];
  return titles.map((title, index) => {
    let step: Step = index <= reached ? 'complete' : 'not-started';
    if (status === 'rejected' && index === 3) step = 'blocked';
    else if (status === 'blocked' && index === 0) step = 'blocked';
    else if (index === reached + 1 && (status === 'sent_to_provider' || status === 'pending')) step = 'in-progress';
    return { title, status: step };
  });
}

export const Pipeline = ({ t, status }: { t: Strings; status: DocumentStatus }) => (
  <TaskList>
    {pipelineSteps(t, status).map((step) => (
      <TaskListItem key={step.title} title={step.title} status={step.status} />
    ))}
  </TaskList>
);

export const ProblemNotice = ({
  i18n,
  problem,
  pending,
  onRecheck,
  onIssueAnyway,
}: {
  i18n: I18n;
  problem: DocumentProblem;
  pending: boolean;
  onRecheck?: () => void;
  onIssueAnyway?: () => void;
}) => {
  const { t } = i18n;
  if (problem.kind === 'waiting') return <Banner type="default" title={t.waitingTitle} description={problem.message} />;
  if (problem.kind === 'storno_refusal') {
    return (
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Banner type="critical" title={problem.reason === 'plan_limit' ? t.refusalPlanLimit : t.refusalPermission} description={problem.message} />
      </Box>
    );
  }
  if (problem.kind === 'preflight') {
    return (
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Banner type="caution" title={t.preflightTitle} description={t.preflightHint} />
        <Box css={{ stack: 'y', gap: 'xsmall' }}>
          {problem.checks.map((check) => (
            <Inline key={check.code}>{`• ${check.message}`}</Inline>
          ))}
        </Box>
        {onRecheck ? (
          <Box>
            <Button onPress={onRecheck} pending={pending}>
              {t.checkAgain}
            </Button>
          </Box>
        ) : null}
      </Box>
    );
  }
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Banner type="caution" title={t.mismatchTitle} />
      <Inline>{t.mismatchBody(i18n.money(problem.expected, problem.currency), i18n.money(problem.actual, problem.currency), i18n.money(problem.difference, problem.currency))}</Inline>
      {onIssueAnyway ? (
        <Box>
          <Button type="primary" onPress={onIssueAnyway} pending={pending}>
            {t.issueAnyway}
          </Button>
        </Box>
      ) : null}
    </Box>
  );
};

export const documentTitle = (t: Strings, doc: Pick<DocumentSummary, 'kind' | 'number'>): string => `${t.kind[doc.kind]} ${doc.number ?? `(${t.noNumberYet})`}`;

export const DocumentPanel = ({
  i18n,
  doc,
  pending,
  onRetry,
  onRecheck,
  onIssueAnyway,
  onSendAnyway,
}: {
  i18n: I18n;
  doc: DocumentSummary;
  /** An action on this document is running. */
  pending: boolean;
  /** Retry a rejected document at the provider. */
  onRetry?: () => void;
  /** Run the pre-flight checks again (after fixing data in Stripe). */
  onRecheck?: () => void;
  /** Accept a total mismatch. */
  onIssueAnyway?: () => void;
  /** Upload a document outside mandatory e-Factura scope to ANAF anyway. */
  onSendAnyway?: () => void;
}) => {
  const { t } = i18n;
  const outsideScope = doc.status === 'issued' && doc.outsideScope;
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
        <Inline css={{ font: 'bodyEmphasized' }}>{documentTitle(t, doc)}</Inline>
        <StatusBadge t={t} status={doc.status} />
      </Box>
      <PropertyList>
        <PropertyListItem label={t.documentTotal} value={i18n.money(doc.total, doc.currency)} />
        <PropertyListItem label={t.documentUpdated} value={i18n.dateTime(doc.updatedAt)} />
        {doc.exchangeRate ? (
          <PropertyListItem label={t.exchangeRateLabel} value={t.exchangeRateValue(doc.currency ?? '', doc.exchangeRate.rate, doc.exchangeRate.publishedOn ? i18n.date(doc.exchangeRate.publishedOn) : null)} />
        ) : null}
      </PropertyList>
      {doc.assumptions?.length ? (
        <Box css={{ stack: 'y', gap: 'xsmall' }}>
          <Inline css={{ font: 'caption', color: 'secondary' }}>{t.assumptionsTitle}</Inline>
          {doc.assumptions.map((a) => (
            <Inline key={a} css={{ font: 'caption' }}>{`• ${a}`}</Inline>
          ))}
        </Box>
      ) : null}
      <Inline css={{ color: 'secondary', font: 'caption' }}>{t.origin[doc.origin]}</Inline>
      <Pipeline t={t} status={doc.status} />
      {doc.status === 'pending' && doc.problem?.kind !== 'waiting' ? <Inline css={{ color: 'secondary' }}>{t.pendingHint}</Inline> : null}
      {outsideScope ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Banner type="default" title={t.outsideScopeTitle} description={t.outsideScopeHint} />
          {onSendAnyway ? (
            <Box>
              <Button onPress={onSendAnyway} pending={pending}>
                {t.sendToAnafAnyway}
              </Button>
            </Box>
          ) : null}
        </Box>
      ) : null}
      {doc.status === 'rejected' ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Banner type="critical" title={t.providerErrorTitle} />
          {doc.providerError ? <Inline>{doc.providerError}</Inline> : null}
          <Inline css={{ color: 'secondary', font: 'caption' }}>{t.fixAndResendHint}</Inline>
          {onRetry ? (
            <Box>
              <Button type="primary" onPress={onRetry} pending={pending}>
                {t.fixAndResend}
              </Button>
            </Box>
          ) : null}
        </Box>
      ) : null}
      {doc.lastFix?.changes.length ? (
        <Box css={{ stack: 'y', gap: 'xsmall' }}>
          <Inline css={{ font: 'caption', color: 'secondary' }}>{t.lastFixTitle}</Inline>
          {doc.lastFix.changes.map((c) => (
            <Inline key={c} css={{ font: 'caption' }}>{`• ${c}`}</Inline>
          ))}
        </Box>
      ) : null}
      {doc.problem ? <ProblemNotice i18n={i18n} problem={doc.problem} pending={pending} onRecheck={onRecheck} onIssueAnyway={onIssueAnyway} /> : null}
    </Box>
  );
};

/** No document yet: why, and the button that makes it (or why none can be made). */
export function CreatePrompt({ message, canCreate, cannotCreate, label, pending, onCreate }: { message: string; canCreate: boolean; cannotCreate: string; label: string; pending: boolean; onCreate: () => void }) {
  if (!canCreate) return <Muted>{cannotCreate}</Muted>;
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Muted>{message}</Muted>
      <Box>
        <Button type="primary" pending={pending} onPress={onCreate}>
          {label}
        </Button>
      </Box>
    </Box>
  );
}
