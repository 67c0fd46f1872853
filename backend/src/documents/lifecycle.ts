// The document lifecycle (issue 11) and the obligation it fulfils (issue 12), in one place.
// Every status change goes through `TRANSITIONS`: a step names its event, and the target status is typed by the
// table, so an illegal transition does not compile; the source status is the guard the store checks when it
// commits (under the lease holder's token). Views and the worker read the same table (`canRetry`, obligations).
import type { DocumentStatus, ObligationAction, ObligationState } from '../../../src/api/contract.js';
import type { DocumentLink } from '../db/generated/sqlite/client.js';

/** Who drives a step: the engine on a request or a worker run, the merchant (an explicit action), the provider's verdict. */
export type Actor = 'engine' | 'merchant' | 'provider';

interface Transition {
  from: readonly DocumentStatus[];
  to: readonly DocumentStatus[];
  by: readonly Actor[];
}

export const TRANSITIONS = {
  /** The Storno draft exists. */
  create: { from: ['pending', 'blocked', 'rejected'], to: ['draft'], by: ['engine'] },
  /** Something the merchant must fix stops it (pre-flight, total mismatch, Storno permission or plan limit). */
  block: { from: ['pending', 'blocked', 'rejected', 'draft', 'issued'], to: ['blocked'], by: ['engine'] },
  /** Numbered at Storno (also when an earlier, unanswered attempt did it). */
  issue: { from: ['draft'], to: ['issued'], by: ['engine'] },
  /** Handed to the provider (or found already there). */
  submit: { from: ['issued'], to: ['sent_to_provider', 'validated'], by: ['engine'] },
  /** Storno refused a step, or the provider rejected the document. */
  reject: { from: ['pending', 'blocked', 'draft', 'issued'], to: ['rejected'], by: ['engine'] },
  /** The provider's verdict, read from Storno. */
  verdict: { from: ['issued', 'sent_to_provider', 'validated', 'rejected'], to: ['issued', 'sent_to_provider', 'validated', 'rejected'], by: ['provider'] },
  /** The merchant retries: a rejected document is resubmitted (or re-issued); a blocked one is rebuilt. */
  retry: { from: ['rejected', 'blocked'], to: ['pending', 'draft', 'issued'], by: ['merchant'] },
  /** "Fix and resend": the rejected Storno document was updated (PUT) and goes through issue and submit again. */
  resend: { from: ['rejected'], to: ['draft', 'issued'], by: ['merchant'] },
  /** The Stripe invoice was voided before its e-invoice was uploaded: cancelled at Storno, or never made. */
  cancel: { from: ['pending', 'blocked', 'draft', 'issued', 'rejected'], to: ['cancelled'], by: ['engine'] },
} as const satisfies Record<string, Transition>;

export type LifecycleEvent = keyof typeof TRANSITIONS;
export type TargetOf<E extends LifecycleEvent> = (typeof TRANSITIONS)[E]['to'][number];
export type ActorOf<E extends LifecycleEvent> = (typeof TRANSITIONS)[E]['by'][number];
/** One step along the table: a step by the wrong actor, or to a status the event cannot reach, does not compile. */
export interface Step<E extends LifecycleEvent> {
  event: E;
  to: TargetOf<E>;
  by: ActorOf<E>;
}

export class IllegalTransition extends Error {
  constructor(event: LifecycleEvent, from: string, by?: Actor) {
    super(`A document that is ${from.replace(/_/g, ' ')} cannot take the step "${event}"${by ? ` by the ${by}` : ''}.`);
    this.name = 'IllegalTransition';
  }
}

export function allows(event: LifecycleEvent, from: string, by?: Actor): boolean {
  const transition: Transition = TRANSITIONS[event];
  return transition.from.includes(from as DocumentStatus) && (by === undefined || transition.by.includes(by));
}

export const canRetry = (link: Pick<DocumentLink, 'status'>) => allows('retry', link.status);

/** Statuses after which nothing more is owed to ANAF for this document. */
const FINAL: readonly string[] = ['validated', 'cancelled'];

/** Out of e-Factura's scope (buyer outside Romania): issued at Storno, and never uploaded (Storno does not send it). */
const settledIssued = (link: Pick<DocumentLink, 'status' | 'outsideScope' | 'stornoDocumentId'>) =>
  link.status === 'issued' && link.outsideScope && link.stornoDocumentId !== null;

export function isFinal(link: Pick<DocumentLink, 'status' | 'outsideScope' | 'stornoDocumentId'>): boolean {
  return FINAL.includes(link.status) || settledIssued(link);
}

/** A credit note's parent is ready once ANAF accepted it (or it is final outside e-Factura's scope). */
export function isReadyParent(link: Pick<DocumentLink, 'status' | 'outsideScope' | 'stornoDocumentId' | 'documentNumber'>): boolean {
  return link.status !== 'cancelled' && isFinal(link) && link.documentNumber !== null;
}

export interface Obligation {
  state: ObligationState;
  action: ObligationAction | null;
}

interface ProblemLike {
  kind: string;
  reason?: string;
}

/** The obligation's state as the merchant reads it, from the document and its connection. */
export function obligationOf(
  link: Pick<DocumentLink, 'status' | 'hold' | 'problem' | 'outsideScope' | 'stornoDocumentId'>,
  connectionStatus: string,
): Obligation {
  if (isFinal(link)) return { state: 'done', action: null };
  if (connectionStatus === 'reauthorization_required') return { state: 'waiting_reconnect', action: 'reconnect' };
  if (link.status === 'blocked') {
    const problem = link.problem ? (JSON.parse(link.problem) as ProblemLike) : null;
    if (problem?.kind === 'storno_refusal') return { state: 'blocked', action: problem.reason === 'plan_limit' ? 'fix_in_storno' : 'ask_storno_admin' };
    if (problem?.kind === 'total_mismatch') return { state: 'blocked', action: 'confirm' };
    return { state: 'blocked', action: 'fix_in_stripe' };
  }
  if (link.status === 'rejected') return { state: 'failed', action: 'retry' };
  if (link.hold === 'parent') return { state: 'waiting_parent', action: null };
  if (link.hold === 'storno') return { state: 'waiting_storno', action: null };
  if (link.hold === 'bnr') return { state: 'waiting_bnr', action: null };
  return { state: 'in_progress', action: null };
}

/** The Home view's tiles: each document counts in exactly one. */
export type Tile = 'validated' | 'inProgress' | 'needsAction' | 'draftOrIssued';

export function tileOf(link: Parameters<typeof obligationOf>[0], connectionStatus: string): Tile | null {
  if (link.status === 'cancelled') return null;
  if (link.status === 'validated') return 'validated';
  const { state } = obligationOf(link, connectionStatus);
  if (state === 'blocked' || state === 'failed' || state === 'waiting_reconnect') return 'needsAction';
  if (link.status === 'draft' || link.status === 'issued') return 'draftOrIssued';
  return 'inProgress';
}

/** Automatic re-drives back off exponentially (with jitter), capped. */
export function redriveDelayMs(attempts: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, 1_000 * 2 ** Math.max(0, attempts - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}
