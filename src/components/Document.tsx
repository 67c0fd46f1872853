// A Storno document (e-invoice or credit note): its facts as rows, the Draft → Issued → Sent to provider → Validated
// pipeline, "accepted, waiting for Storno" while queued, the provider's error (original ANAF text + what it means)
// with "Retry at provider", pre-flight / total-mismatch problems with the action that fixes them, Open PDF /
// Download XML, the ANAF deadline while it is owed, and its fiscal facts (BNR rate, assumptions, outside-scope buyers
// and how to upload their XML voluntarily, what the last "Fix and resend" changed). Other panels add facts through
// `rows` and actions through `children`.
import { useEffect, useState, type ReactNode } from 'react';
import { Banner, Box, Button, Inline, PropertyList, PropertyListItem, TaskList, TaskListItem } from '@stripe/ui-extension-sdk/ui';
import type { StornoClient } from '../api/client';
import type { DocumentProblem, DocumentStatus, DocumentSummary } from '../api/contract';
import { isMoving } from '../api/hooks';
import { bucharestDay } from '../api/period';
import { getPlatform } from '../api/platform';
import { displayNumber, type I18n, type Strings } from '../i18n';
import { ConfirmedButton } from './Confirm';
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
          {problem.checks.map((check, index) => (
            <Inline key={`${check.code}:${index}`}>{`• ${i18n.preflight(check)}`}</Inline>
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
  const actual = i18n.money(problem.actual, problem.currency);
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Banner type="caution" title={t.mismatchTitle} />
      <Inline>{t.mismatchBody(i18n.money(problem.expected, problem.currency), actual, i18n.money(problem.difference, problem.currency))}</Inline>
      {onIssueAnyway ? (
        <ConfirmedButton
          type="primary"
          label={t.issueAnyway}
          text={{ title: t.issueAnywayConfirmTitle, description: t.issueAnywayConfirmBody(actual), confirmLabel: t.issueAnywayConfirm, cancelLabel: t.cancel }}
          pending={pending}
          onConfirm={onIssueAnyway}
        />
      ) : null}
    </Box>
  );
};

/** "Invoice FACT0042", or just "Invoice" while Storno has only a `DRAFT-…` placeholder. */
export const documentTitle = (t: Strings, doc: Pick<DocumentSummary, 'kind' | 'number'>): string => {
  const number = displayNumber(doc.number);
  return number ? `${t.kind[doc.kind]} ${number}` : t.kind[doc.kind];
};

/** The provider's verdict: ANAF's own words (kept as they are) and, for the rules it cites, what they mean. */
export const ProviderError = ({ i18n, message }: { i18n: I18n; message: string | null }) => {
  const { t } = i18n;
  const notes = i18n.providerNotes(message);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall' }}>
      <Banner type="critical" title={t.providerErrorTitle} />
      {message ? (
        <>
          <Inline css={{ font: 'caption', color: 'secondary' }}>{t.providerOriginal}</Inline>
          <Inline>{message}</Inline>
        </>
      ) : null}
      {notes.length ? (
        <>
          <Inline css={{ font: 'caption', color: 'secondary' }}>{t.providerExplained}</Inline>
          {notes.map((note) => (
            <Inline key={note}>{`• ${note}`}</Inline>
          ))}
        </>
      ) : null}
    </Box>
  );
};

/** Signed links live 5 minutes at the backend; fetch fresh ones well before. */
export const FILE_LINKS_REFRESH_MS = 240_000;

type Files = { state: 'loading' } | { state: 'error' } | { state: 'ready'; pdfUrl: string; xmlUrl: string };

function useDocumentFiles(client: StornoClient, documentId: string, enabled: boolean): Files {
  const [files, setFiles] = useState<Files>({ state: 'loading' });
  useEffect(() => {
    if (!enabled) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const links = await client.getDocumentFiles(documentId);
        if (!cancelled) setFiles({ state: 'ready', pdfUrl: links.pdfUrl, xmlUrl: links.xmlUrl });
      } catch {
        if (!cancelled) setFiles({ state: 'error' });
      }
      if (!cancelled) timer = setTimeout(() => void load(), FILE_LINKS_REFRESH_MS);
    };
    void load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [client, documentId, enabled]);
  return files;
}

/** "Open PDF" and "Download XML" once the document exists at Storno (short-lived signed links from the backend). */
export const DocumentFiles = ({ i18n, client, doc }: { i18n: I18n; client: StornoClient; doc: DocumentSummary }) => {
  const { t } = i18n;
  const atStorno = Boolean(doc.stornoDocumentId);
  const files = useDocumentFiles(client, doc.id, atStorno);
  if (!atStorno) return null;
  if (files.state === 'loading') return <Muted>{t.filesPreparing}</Muted>;
  if (files.state === 'error') return <Muted>{t.filesUnavailable}</Muted>;
  return (
    <Box css={{ stack: 'x', gap: 'small' }}>
      <Button size="small" href={files.pdfUrl} target="_blank" onPress={() => getPlatform().openUrl(files.pdfUrl)}>
        {t.openPdf}
      </Button>
      <Button size="small" href={files.xmlUrl} target="_blank" onPress={() => getPlatform().openUrl(files.xmlUrl)}>
        {t.downloadXml}
      </Button>
    </Box>
  );
};

/** By when the document must reach ANAF (issue 12): while it is still owed, or when Storno says it went late. */
function deadlineFact(i18n: I18n, doc: DocumentSummary): PanelRow[] {
  const { t } = i18n;
  if (!doc.deadline || (doc.obligation.state === 'done' && !doc.lateSubmission)) return [];
  const passed = doc.obligation.state !== 'done' && doc.deadline < bucharestDay(getPlatform().now());
  const date = passed ? t.deadlinePassed(i18n.date(doc.deadline)) : i18n.date(doc.deadline);
  return [{ key: 'deadline', label: t.deadlineLabel, value: doc.lateSubmission ? `${date} · ${t.lateSubmission}` : date }];
}

/** One fact of the document panel; other features add theirs (exchange rate, assumed VAT…) through `rows`. */
export interface PanelRow {
  key: string;
  label: string;
  value: string;
}

export const DocumentPanel = ({
  i18n,
  client,
  doc,
  pending,
  onRetry,
  onRecheck,
  onIssueAnyway,
  rows = [],
  children,
}: {
  i18n: I18n;
  client: StornoClient;
  doc: DocumentSummary;
  /** An action on this document is running. */
  pending: boolean;
  /** Retry a rejected document at the provider. */
  onRetry?: () => void;
  /** Run the pre-flight checks again (after fixing data in Stripe). */
  onRecheck?: () => void;
  /** Accept a total mismatch (asks first). */
  onIssueAnyway?: () => void;
  /** Extra facts, shown after number, total and last update. */
  rows?: PanelRow[];
  /** Extra actions, shown above the file links. */
  children?: ReactNode;
}) => {
  const { t } = i18n;
  const outsideScope = doc.status === 'issued' && doc.outsideScope;
  const facts: PanelRow[] = [
    { key: 'number', label: t.documentNumber, value: displayNumber(doc.number) ?? t.numberOnIssue },
    { key: 'total', label: t.documentTotal, value: i18n.money(doc.total, doc.currency) },
    { key: 'updated', label: t.documentUpdated, value: i18n.dateTime(doc.updatedAt) },
    ...deadlineFact(i18n, doc),
    ...(doc.exchangeRate
      ? [{ key: 'exchangeRate', label: t.exchangeRateLabel, value: t.exchangeRateValue(doc.currency ?? '', doc.exchangeRate.rate, doc.exchangeRate.publishedOn ? i18n.date(doc.exchangeRate.publishedOn) : null) }]
      : []),
    ...rows,
  ];
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center', distribute: 'space-between' }}>
        <Inline css={{ font: 'bodyEmphasized' }}>{documentTitle(t, doc)}</Inline>
        <StatusBadge t={t} status={doc.status} />
      </Box>
      <PropertyList>
        {facts.map((row) => (
          <PropertyListItem key={row.key} label={row.label} value={row.value} />
        ))}
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
      {doc.status === 'pending' && doc.problem?.kind !== 'waiting' ? (
        <Banner type="default" title={t.status.pending} description={t.pendingHint} />
      ) : isMoving(doc) ? (
        // Text, not a spinner: the page is usable while it follows the status.
        <Muted>{t.movingHint}</Muted>
      ) : null}
      {/* Storno never sends these; the merchant may upload the XML (below) in ANAF's SPV themselves. */}
      {outsideScope ? <Banner type="default" title={t.outsideScopeTitle} description={t.outsideScopeHint} /> : null}
      {doc.status === 'rejected' ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <ProviderError i18n={i18n} message={doc.providerError} />
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
      {children}
      <DocumentFiles i18n={i18n} client={client} doc={doc} />
    </Box>
  );
};

/** The toast after a create: made, or accepted and waiting for Storno (it completes by itself). */
export const createdToast = (t: Strings, made: DocumentSummary): string => (made.status === 'pending' ? t.toastAccepted : t.toastCreated);

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
