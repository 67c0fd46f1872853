// What the views and the period report show of a document: its summary for the extension (status, obligation with
// the sentence that explains it, deadline, fiscal facts) and the one wording of what stops it. Storage is store.ts.
import type { DocumentKind, DocumentProblem, DocumentStatus, DocumentSummary, ObligationInfo, ObligationState } from '../../../src/api/contract.js';
import type { DocumentLink } from '../db/generated/sqlite/client.js';
import { lastUploadDay } from '../deadlines/index.js';
import { obligationOf } from './lifecycle.js';

/** What stops a document, in the merchant's words (the one wording for the views, the period check and its export). */
export function problemText(problem: DocumentProblem | null): string | null {
  if (!problem) return null;
  if (problem.kind === 'preflight') return problem.checks.map((c) => c.message).join(' ');
  if (problem.kind === 'storno_refusal' || problem.kind === 'waiting') return problem.message;
  return `Stripe charged ${problem.expected} ${problem.currency}, Storno would total ${problem.actual}; issue anyway or fix the invoice in Stripe.`;
}

function obligationInfo(link: DocumentLink, connectionStatus: string): ObligationInfo {
  const { state, action } = obligationOf(link, connectionStatus);
  const problem = link.problem ? (JSON.parse(link.problem) as DocumentProblem) : null;
  const waitingFor = link.waitingFor?.replace(':', ' ') ?? 'its parent';
  const detail: Record<ObligationState, string | null> = {
    done: null,
    in_progress: null,
    waiting_parent: `Waits for the e-invoice of ${waitingFor} to be accepted by ANAF; it is made as soon as that happens.`,
    waiting_reconnect: 'Storno.ro no longer accepts the stored authorization; reconnect from the app settings and this document continues by itself.',
    waiting_storno: `Storno.ro is not reachable right now; retried automatically${link.nextAttemptAt ? ` (next attempt ${link.nextAttemptAt.toISOString()})` : ''}.${link.providerError ? ` Last error: ${link.providerError}` : ''}`,
    waiting_bnr: `${problemText(problem) ?? "Waiting for BNR's exchange rate."} Retried automatically${link.nextAttemptAt ? ` (next attempt ${link.nextAttemptAt.toISOString()})` : ''}; never sent without its rate.`,
    blocked: problemText(problem) ?? link.providerError,
    failed: link.providerError ?? 'Storno or the e-invoice provider refused the document.',
  };
  return { state, action, detail: detail[state] };
}

export function summarize(link: DocumentLink, connectionStatus = 'active'): DocumentSummary {
  return {
    id: link.id,
    kind: link.kind as DocumentKind,
    stripeObjectId: link.stripeObjectId,
    stornoDocumentId: link.stornoDocumentId,
    number: link.documentNumber,
    status: link.status as DocumentStatus,
    clientName: link.clientName,
    total: link.total,
    currency: link.currency,
    providerError: link.providerError,
    problem: link.problem ? (JSON.parse(link.problem) as DocumentProblem) : null,
    origin: link.origin as 'manual' | 'auto',
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    issueDate: link.issueDate,
    deadline: link.issueDate ? lastUploadDay(link.issueDate) : null,
    lateSubmission: link.lateSubmission,
    obligation: obligationInfo(link, connectionStatus),
    ...fiscalSummary(link),
  };
}

/** The fiscal facts of a document for its panel: BNR rate, scope, assumptions, the last fix. */
function fiscalSummary(link: DocumentLink): Pick<DocumentSummary, 'exchangeRate' | 'outsideScope' | 'assumptions' | 'lastFix'> {
  const notes = link.fiscalNotes ? (JSON.parse(link.fiscalNotes) as { assumptions?: string[]; changes?: string[]; fixedAt?: string }) : {};
  return {
    exchangeRate: link.exchangeRate ? { rate: link.exchangeRate, publishedOn: link.exchangeRateDate } : null,
    outsideScope: link.outsideScope,
    assumptions: notes.assumptions ?? [],
    lastFix: notes.changes ? { changes: notes.changes, at: notes.fixedAt ?? null } : null,
  };
}

