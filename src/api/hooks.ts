// How the views get data: `useStorno(context)` gives the backend client for the Dashboard user/account,
// `useResource` loads one thing (loading / not connected / error / ready, `reload()` refetches in place),
// `useActions` runs a write with a pending flag, a toast and a refetch, `useDeviceFlow` runs Connect Storno.ro.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type { DocumentSummary } from './contract';
import { ApiError, LateDocumentError, NotConnectedError, getClient, type ConnectionProblem, type PendingGrant, type StornoClient } from './client';
import { getPlatform } from './platform';

export const DEFAULT_API_BASE = 'https://stripe-app.storno.ro/api/v1/stripe-app/';

export function apiBaseOf(context: Pick<ExtensionContextValue, 'environment'>): string {
  const constants = context.environment?.constants;
  const base =
    constants && typeof constants === 'object' && !Array.isArray(constants) && typeof (constants as Record<string, unknown>).API_BASE === 'string'
      ? ((constants as Record<string, unknown>).API_BASE as string)
      : DEFAULT_API_BASE;
  return base.endsWith('/') ? base : `${base}/`;
}

export function useStorno(context: Pick<ExtensionContextValue, 'environment' | 'userContext'>): StornoClient {
  const baseUrl = apiBaseOf(context);
  const userId = context.userContext?.id ?? '';
  const accountId = context.userContext?.account?.id ?? '';
  return useMemo(() => getClient({ baseUrl, userId, accountId }), [baseUrl, userId, accountId]);
}

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'not_connected'; reason: ConnectionProblem }
  | { status: 'error'; message: string; code: string | null }
  | { status: 'ready'; data: T };

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A failure as the views show it: the backend's error code (to word it in the UI language) and its message. */
export interface Failure {
  code: string | null;
  message: string;
  /** The error answer's extra fields (e.g. `issueDate` and `deadline` of `deadline_passed`), for wording it locally. */
  details?: Record<string, unknown>;
}

export const failureOf = (error: unknown): Failure => ({
  code: error instanceof ApiError ? error.code : null,
  message: errorMessage(error),
  details: error instanceof ApiError && error.body && typeof error.body === 'object' ? (error.body as Record<string, unknown>) : undefined,
});

const toFailure = (error: unknown): Resource<never> =>
  error instanceof NotConnectedError ? { status: 'not_connected', reason: error.reason } : { status: 'error', ...failureOf(error) };

/** How often a view re-reads while something on it is still moving by itself (queued, at Storno, at ANAF). */
export const LIVE_REFRESH_MS = 4000;
/** After a minute without change the view re-reads less often, up to this. */
export const LIVE_REFRESH_MAX_MS = 30_000;
const FAST_POLLS = 15;

/** The wait before the n-th re-read (0-based) of data that has not changed since the last answer. */
export const liveRefreshDelay = (unchangedPolls: number): number =>
  unchangedPolls < FAST_POLLS ? LIVE_REFRESH_MS : Math.min(LIVE_REFRESH_MAX_MS, LIVE_REFRESH_MS * 2 ** Math.ceil((unchangedPolls - FAST_POLLS + 1) / 5));

/** Obligation states (the backend's lifecycle decides them) that change without anyone acting. */
const MOVING: ReadonlySet<DocumentSummary['obligation']['state']> = new Set(['in_progress', 'waiting_parent', 'waiting_storno', 'waiting_bnr']);

/**
 * A document whose status will change without anyone clicking (queued, waiting for Storno after an outage, a draft
 * or issued document auto mode is still sending, at ANAF): the view keeps re-reading it until it settles. Done
 * (validated, cancelled, issued outside e-Factura's scope), failed, blocked or waiting for a reconnect: it stops.
 */
export function isMoving(document: DocumentSummary | null | undefined): boolean {
  return !!document && MOVING.has(document.obligation.state);
}

/**
 * Loads `load(client)` whenever `key` changes (null = don't load). `reload()` refetches and keeps the
 * current data on screen until the answer arrives; `reset()` shows the loading state first. While
 * `refreshWhile(data)` holds, the data is re-read every LIVE_REFRESH_MS so the page follows the provider.
 */
export function useResource<T>(
  client: StornoClient,
  key: string | null,
  load: (client: StornoClient) => Promise<T>,
  refreshWhile?: (data: T) => boolean,
) {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  // A plain holder (not a ref): bumped to make answers of superseded loads be ignored.
  const [generation] = useState(() => ({ value: 0 }));

  const reload = useCallback(async (): Promise<void> => {
    const mine = ++generation.value;
    try {
      const data = await loadRef.current(client);
      if (mine === generation.value) setState({ status: 'ready', data });
    } catch (error) {
      if (mine === generation.value) setState(toFailure(error));
    }
  }, [client, generation]);

  const reset = useCallback(async (): Promise<void> => {
    setState({ status: 'loading' });
    await reload();
  }, [reload]);

  useEffect(() => {
    if (key === null) return undefined;
    setState({ status: 'loading' });
    void reload();
    return () => {
      generation.value++;
    };
  }, [key, reload, generation]);

  const refreshWhileRef = useRef(refreshWhile);
  refreshWhileRef.current = refreshWhile;
  // Re-reads that brought nothing new: the wait grows with them and starts over when something changes.
  const [unchanged] = useState(() => ({ polls: 0, last: '' }));
  useEffect(() => {
    if (state.status !== 'ready' || !refreshWhileRef.current?.(state.data)) return undefined;
    const snapshot = JSON.stringify(state.data);
    unchanged.polls = snapshot === unchanged.last ? unchanged.polls + 1 : 0;
    unchanged.last = snapshot;
    const timer = setTimeout(() => void reload(), liveRefreshDelay(unchanged.polls));
    return () => clearTimeout(timer);
  }, [state, reload, unchanged]);

  return { state, reload, reset };
}

export interface ActionMessages {
  failed: string;
}

/**
 * Runs writes one at a time: `pending` names the running action (to show a pending button), `error` the
 * backend's code and message of the last failure. After success: toast, then `after()` (usually `reload`).
 * After a failure `after()` runs too: the backend may have accepted the work (e.g. kept a document while Storno
 * was down), and the view must show that instead of offering the action again.
 */
export function useActions(messages: ActionMessages, after: () => Promise<void>) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<Failure | null>(null);
  // A document past its upload deadline: the merchant confirms (issue 12).
  const [late, setLate] = useState<(() => Promise<void>) | null>(null);
  const afterRef = useRef(after);
  afterRef.current = after;
  const failedRef = useRef(messages.failed);
  failedRef.current = messages.failed;

  const run = useCallback(async <R>(key: string, action: () => Promise<R>, success?: string | ((result: R) => string)): Promise<R | undefined> => {
    setPending(key);
    setError(null);
    setLate(null);
    try {
      const result = await action();
      const message = typeof success === 'function' ? success(result) : success;
      if (message) getPlatform().toast(message, 'success');
      await afterRef.current();
      return result;
    } catch (caught) {
      if (caught instanceof NotConnectedError) {
        await afterRef.current();
      } else if (caught instanceof LateDocumentError) {
        setError(failureOf(caught));
        setLate(() => async () => void (await run(key, caught.confirm as () => Promise<R>, success)));
      } else {
        setError(failureOf(caught));
        getPlatform().toast(failedRef.current, 'caution');
        await afterRef.current().catch(() => undefined);
      }
      return undefined;
    } finally {
      setPending(null);
    }
  }, []);

  const clearError = useCallback(() => {
    setError(null);
    setLate(null);
  }, []);
  return { run, pending, error, clearError, confirmLate: late ? () => void late() : undefined };
}

export type DeviceFlowState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'ready'; grant: PendingGrant }
  | { phase: 'denied' }
  | { phase: 'expired' }
  | { phase: 'error'; message: string }
  | { phase: 'connected' };

/** Extra wait after `slow_down` (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_MS = 5000;
/** How often a tab that is not connecting looks for a connection or a code started in another tab. */
export const IDLE_WATCH_MS = 10_000;
/** An idle tab stops looking after this long (a code lives 10 minutes); pressing Connect looks again. */
export const IDLE_WATCH_LIMIT_MS = 15 * 60_000;

/**
 * RFC 8628 device flow. `start()` asks for a code (or follows one another tab of this user started), stores it in
 * the Secret Store and polls the token endpoint at once, until approved, denied or expired; a reload or another
 * tab picks the stored code up and keeps polling. Tokens stored by another tab count as connected here too.
 * `openApproval()` goes with the link that opens `verification_uri_complete`.
 */
export function useDeviceFlow(client: StornoClient, onConnected: () => void, connectedMessage: string) {
  const [state, setState] = useState<DeviceFlowState>({ phase: 'idle' });
  // Bumped to stop the loops of a superseded run (a new start, an unmount).
  const run = useRef(0);
  const onConnectedRef = useRef(onConnected);
  onConnectedRef.current = onConnected;

  const connected = useCallback(
    (mine: number) => {
      if (mine !== run.current) return;
      run.current++;
      setState({ phase: 'connected' });
      getPlatform().toast(connectedMessage, 'success');
      onConnectedRef.current();
    },
    [connectedMessage],
  );

  /** Tokens stored since `before` was read: this user connected (here or in another tab). */
  const connectedSince = useCallback(
    async (before: string | null) => {
      const latest = await client.reloadTokens();
      return !!latest && latest.refresh_token !== before;
    },
    [client],
  );

  const poll = useCallback(
    async (grant: PendingGrant, mine: number) => {
      const platform = getPlatform();
      let interval = Math.max(1, grant.interval || 5) * 1000;
      const before = (await client.reloadTokens())?.refresh_token ?? null;
      while (mine === run.current) {
        await platform.sleep(interval);
        if (mine !== run.current) return;
        if (platform.now() >= grant.expires_at) {
          await client.forgetPendingGrant();
          if (mine === run.current) setState({ phase: 'expired' });
          return;
        }
        if (await connectedSince(before)) return connected(mine);
        const result = await client.pollDeviceToken(grant.device_code);
        if (mine !== run.current) return;
        switch (result.kind) {
          case 'connected':
            await client.forgetPendingGrant();
            return connected(mine);
          case 'authorization_pending':
          case 'network_error':
            break;
          case 'slow_down':
            interval += SLOW_DOWN_STEP_MS;
            break;
          case 'access_denied':
            await client.forgetPendingGrant();
            if (mine === run.current) setState({ phase: 'denied' });
            return;
          case 'expired_token':
            await client.forgetPendingGrant();
            if (mine === run.current) setState({ phase: 'expired' });
            return;
          case 'invalid_grant':
            // Already exchanged: by another tab of this user, whose tokens are in the Secret Store.
            if (await connectedSince(before)) return connected(mine);
            await client.forgetPendingGrant();
            if (mine === run.current) setState({ phase: 'error', message: result.description ?? result.kind });
            return;
          default:
            if (mine === run.current) setState({ phase: 'error', message: result.description ?? result.kind });
            return;
        }
      }
    },
    [client, connected, connectedSince],
  );

  const follow = useCallback(
    (grant: PendingGrant, mine: number) => {
      setState({ phase: 'ready', grant });
      void poll(grant, mine);
    },
    [poll],
  );

  // Not connecting: follow a code another tab (or this one, before a reload) started, or notice its connection.
  const watch = useCallback(
    async (mine: number) => {
      const platform = getPlatform();
      const until = platform.now() + IDLE_WATCH_LIMIT_MS;
      const before = (await client.reloadTokens())?.refresh_token ?? null;
      // A replaced host (a test's or the preview's platform) ends the watch begun under the old one.
      const watching = () => mine === run.current && getPlatform() === platform;
      for (let first = true; watching(); first = false) {
        if (!first) {
          if (platform.now() >= until) return;
          await platform.sleep(IDLE_WATCH_MS);
          if (!watching()) return;
        }
        const grant = await client.pendingGrant();
        if (!watching()) return;
        if (grant) return follow(grant, mine);
        if (!first && (await connectedSince(before))) return connected(mine);
      }
    },
    [client, follow, connected, connectedSince],
  );

  useEffect(() => {
    const counter = run;
    void watch(++counter.current);
    return () => {
      counter.current++;
    };
  }, [watch]);

  const start = useCallback(async () => {
    const mine = ++run.current;
    setState({ phase: 'starting' });
    try {
      // A code another tab started and that still waits is the one to approve: a second one would race it.
      const grant = (await client.pendingGrant()) ?? (await client.savePendingGrant(await client.startDeviceAuthorization()));
      if (mine === run.current) follow(grant, mine);
    } catch (error) {
      if (mine === run.current) setState({ phase: 'error', message: errorMessage(error) });
    }
  }, [client, follow]);

  const openApproval = useCallback(() => {
    if (state.phase === 'ready') getPlatform().openUrl(state.grant.verification_uri_complete);
  }, [state]);

  const reset = useCallback(() => {
    run.current++;
    setState({ phase: 'idle' });
  }, []);

  return { state, start, openApproval, reset };
}
