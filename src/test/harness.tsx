// Test harness: a small fake backend that follows the contract (bearer tokens, refresh rotation, device
// flow), a fake platform (Secret Store in memory, signatures, toasts, sleeps) and render helpers.
import { useState, type ComponentType, type ReactNode } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { getMockContextProps, render } from '@stripe/ui-extension-sdk/testing';
import { Button } from '@stripe/ui-extension-sdk/ui';
import { TOKEN_SECRET_NAME, resetClients, type StoredTokens } from '../api/client';
import { z } from 'zod';
import { contract, type DeviceAuthorizationResponse } from '../api/contract';
import { setPlatform, type Platform } from '../api/platform';

export const API_BASE = 'https://stripe-app.storno.ro/api/v1/stripe-app/';
export const USER_ID = 'usr_1234';
export const ACCOUNT_ID = 'acct_1234';
export const NOW_MS = Date.UTC(2026, 2, 15, 12, 0, 0);

export interface RecordedRequest {
  method: string;
  /** Path below API_BASE, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
}

type Reply = { status: number; body: unknown } | unknown;
type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

const isReply = (value: unknown): value is { status: number; body: unknown } =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value && Object.keys(value).length === 2;

export const reply = (status: number, body: unknown) => ({ status, body });

export class FakeBackend {
  requests: RecordedRequest[] = [];
  routes = new Map<string, Handler>();
  validAccessTokens = new Set(['at-1']);
  validRefreshTokens = new Set(['rt-1']);
  /** Every data route answers 401 reauthorization_required. */
  reauthorizationRequired = false;
  /** Replies to device-code polls, in order (the last one repeats). */
  devicePolls: Reply[] = [];
  deviceGrant: DeviceAuthorizationResponse = {
    device_code: 'dev-code-1',
    user_code: 'WXYZ-1234',
    verification_uri: 'https://stripe-app.storno.ro/stripe-link',
    verification_uri_complete: 'https://stripe-app.storno.ro/stripe-link?code=WXYZ-1234',
    expires_in: 900,
    interval: 5,
  };
  private issued = 1;

  /** Answer a route with a handler, a `reply(status, body)`, or a JSON body (200). */
  on(method: string, path: string, handler: Handler): this;
  on(method: string, path: string, value: object): this;
  on(method: string, path: string, handler: Handler | object): this {
    this.routes.set(`${method} ${path}`, typeof handler === 'function' ? (handler as Handler) : () => handler);
    return this;
  }

  /** Requests to a route (path without query). */
  calls(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  private issueTokens() {
    this.issued++;
    const access = `at-${this.issued}`;
    const refresh = `rt-${this.issued}`;
    this.validAccessTokens.add(access);
    this.validRefreshTokens.add(refresh);
    return { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh };
  }

  private async handle(request: RecordedRequest): Promise<{ status: number; body: unknown }> {
    const override = this.routes.get(`${request.method} ${request.path}`);
    if (request.path === 'oauth/device' && request.method === 'POST') {
      return override ? normalize(await override(request)) : { status: 200, body: this.deviceGrant };
    }
    if (request.path === 'token' && request.method === 'POST') {
      if (override) return normalize(await override(request));
      const body = request.body ?? {};
      if (body.grant_type === 'refresh_token') {
        const token = String(body.refresh_token);
        if (!this.validRefreshTokens.has(token)) return { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token revoked' } };
        this.validRefreshTokens.delete(token);
        return { status: 200, body: this.issueTokens() };
      }
      if (body.grant_type === 'urn:ietf:params:oauth:grant-type:device_code') {
        const next = this.devicePolls.length > 1 ? this.devicePolls.shift() : this.devicePolls[0];
        if (next === 'approve') return { status: 200, body: this.issueTokens() };
        return normalize(next ?? reply(400, { error: 'authorization_pending' }));
      }
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (!request.headers['stripe-signature']) return { status: 401, body: { error: 'unauthorized', message: 'Missing signature' } };
    if (this.reauthorizationRequired) return { status: 401, body: { error: 'reauthorization_required', message: 'Connect again' } };
    if (!bearer || !this.validAccessTokens.has(bearer)) return { status: 401, body: { error: 'unauthorized', message: 'Invalid access token' } };
    const files = /^documents\/([^/]+)\/files$/.exec(request.path);
    if (!override && files && request.method === 'POST') {
      // Like the backend: signed links to the document's PDF and XML, valid 5 minutes.
      const link = (format: string) => `${API_BASE}files/documents/${files[1]}/${format}?connection=conn_1&expires=${Math.floor(NOW_MS / 1000) + 300}&signature=${'ab'.repeat(32)}`;
      return { status: 200, body: { pdfUrl: link('pdf'), xmlUrl: link('xml'), expiresAt: new Date(NOW_MS + 300_000).toISOString() } };
    }
    if (!override) return { status: 404, body: { error: 'not_found', message: `No route ${request.method} ${request.path}` } };
    return normalize(await override(request));
  }

  fetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (!url.startsWith(API_BASE)) throw new TypeError(`fetch outside the backend: ${url}`);
    const parsed = new URL(url);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[key.toLowerCase()] = value;
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: parsed.pathname.slice(new URL(API_BASE).pathname.length),
      query: parsed.searchParams,
      headers,
      body: typeof init.body === 'string' && init.body ? (JSON.parse(init.body) as Record<string, unknown>) : null,
    };
    this.requests.push(request);
    const { status, body } = await this.handle(request);
    checkAgainstContract(request, status, body);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
}

/** The contract's route for a request of the extension (paths are relative to the API base). */
function contractRoute(request: RecordedRequest) {
  return Object.values(contract).find((route) => {
    const pattern = new RegExp(`^${route.url.replace(/:[A-Za-z]+/g, '[^/]+').slice(1)}$`);
    return route.method === request.method && pattern.test(request.path);
  });
}

/**
 * The fake is as strict as the backend: a request the contract does not know fails the test, and so does an answer
 * the backend could not give (a test scripted with the wrong shape would pass against a kind fake only).
 */
function checkAgainstContract(request: RecordedRequest, status: number, body: unknown): void {
  const route = contractRoute(request);
  if (!route) throw new Error(`The extension called ${request.method} ${request.path}, which the contract does not have`);
  const responses = route.schema.response as Record<number, unknown>;
  const schema = responses[status];
  if (!schema) throw new Error(`${request.method} ${request.path} answered ${status}, which the contract does not list`);
  if (!(schema instanceof z.ZodType)) return;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`${request.method} ${request.path} → ${status} breaks the contract: ${z.prettifyError(parsed.error)}`);
}

const normalize = (value: Reply): { status: number; body: unknown } => (isReply(value) ? value : { status: 200, body: value });

export interface FakePlatform extends Platform {
  store: Map<string, string>;
  toasts: { message: string; kind?: string }[];
  sleeps: number[];
  opened: string[];
  signatures: number;
  clock: { now: number };
}

export function fakePlatform(backend: FakeBackend): FakePlatform {
  const clock = { now: NOW_MS };
  const store = new Map<string, string>();
  const platform: FakePlatform = {
    store,
    toasts: [],
    sleeps: [],
    opened: [],
    signatures: 0,
    clock,
    fetchSignature: async () => {
      platform.signatures++;
      return `t=${Math.floor(clock.now / 1000)},v1=sig${platform.signatures}`;
    },
    secrets: {
      get: async (userId, name) => store.get(`${userId}/${name}`) ?? null,
      set: async (userId, name, payload) => {
        store.set(`${userId}/${name}`, payload);
      },
      delete: async (userId, name) => {
        store.delete(`${userId}/${name}`);
      },
    },
    toast: (message, kind) => {
      platform.toasts.push({ message, kind });
    },
    openUrl: (url) => {
      platform.opened.push(url);
    },
    fetch: (url, init) => backend.fetch(url, init),
    // Records the wait, moves the clock, and yields one macrotask (so a test can look between polls).
    sleep: async (ms) => {
      platform.sleeps.push(ms);
      clock.now += ms;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    now: () => clock.now,
  };
  return platform;
}

export const tokenKey = `${USER_ID}/${TOKEN_SECRET_NAME}`;

export function storedTokens(platform: FakePlatform): StoredTokens | null {
  const raw = platform.store.get(tokenKey);
  return raw ? (JSON.parse(raw) as StoredTokens) : null;
}

/** A backend + platform pair; `connected` stores valid tokens for the user. */
export function setup({ connected = true, expiresInSeconds = 3600 }: { connected?: boolean; expiresInSeconds?: number } = {}) {
  resetClients();
  const backend = new FakeBackend();
  const platform = fakePlatform(backend);
  if (connected) {
    const tokens: StoredTokens = { access_token: 'at-1', refresh_token: 'rt-1', expires_at: Math.floor(NOW_MS / 1000) + expiresInSeconds };
    platform.store.set(tokenKey, JSON.stringify(tokens));
  }
  setPlatform(platform);
  return { backend, platform };
}

export function contextFor(
  viewportID: string,
  objectContext: { id: string; object: string } | null = null,
  locale = 'en-US',
  apiBase: string = API_BASE,
): ExtensionContextValue {
  const props = getMockContextProps({
    environment: { viewportID, constants: { API_BASE: apiBase } },
    userContext: { locale },
  });
  return { ...props, environment: { ...props.environment, objectContext } };
}

/** Holds a rendered view until `remove()` takes it out of the tree (its effects clean up, as on a reload). */
const Removable = ({ children, handle }: { children: ReactNode; handle: { remove?: () => void } }) => {
  const [shown, setShown] = useState(true);
  handle.remove = () => setShown(false);
  return shown ? <>{children}</> : null;
};

const mounted: (() => Promise<void>)[] = [];

/** Views keep polling while mounted (device flow, live refresh): each test's views go away with it. */
afterEach(async () => {
  for (const unmount of mounted.splice(0)) await unmount();
});

/** Renders a view and lets its first loads finish; `unmount()` removes it (a reload or a closed tab). */
export async function renderView(View: ComponentType<ExtensionContextValue>, context: ExtensionContextValue) {
  const handle: { remove?: () => void } = {};
  const result = render(
    <Removable handle={handle}>
      <View {...context} />
    </Removable>,
  );
  let gone = false;
  const unmount = async () => {
    if (gone) return;
    gone = true;
    handle.remove?.();
    await settle(result.update, 2);
  };
  mounted.push(unmount);
  await settle(result.update);
  return { ...result, unmount };
}

/** Flushes pending promises and effects a few times (each fake request is a few hops). */
export async function settle(update: () => Promise<void>, rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await update();
}

/** The `wrapper` of the SDK's `render`. */
export type Wrapper = ReturnType<typeof render>['wrapper'];

type TestNode = {
  type: unknown;
  props: Record<string, unknown>;
  children: (TestNode | string)[];
  text: string;
  trigger: (prop: string, ...args: unknown[]) => unknown;
};
type RemoteLike = { text?: string; props?: Record<string, unknown>; children?: RemoteLike[] };

const TEXT_PROPS = ['title', 'description', 'label', 'value', 'secondaryTitle', 'statusMessage'];

function remoteText(remote: RemoteLike): string {
  if (typeof remote.text === 'string' && !remote.props) return remote.text;
  return `${propsText(remote.props ?? {})}${(remote.children ?? []).map(remoteText).join('')}`;
}

function propsText(props: Record<string, unknown>): string {
  let out = '';
  for (const key of TEXT_PROPS) {
    const value = props[key];
    if (typeof value === 'string') out += ` ${value} `;
    else if (value && typeof value === 'object' && Array.isArray((value as RemoteLike).children)) out += ` ${remoteText(value as RemoteLike)} `;
  }
  return out;
}

/**
 * Everything a merchant can read: text children plus titles, descriptions, labels and values
 * (which the SDK passes as props, so `toContainText` alone does not see them).
 */
export function screenText(wrapper: Wrapper | TestNode): string {
  const node = wrapper as unknown as TestNode;
  const own = node.props ? propsText(node.props) : '';
  return own + node.children.map((child) => (typeof child === 'string' ? child : screenText(child))).join('');
}

/** The button whose text contains `label`. */
const buttons = (wrapper: Wrapper): TestNode[] => wrapper.findAll(Button) as unknown as TestNode[];

export function button(wrapper: Wrapper, label: string): TestNode {
  const found = buttons(wrapper).filter((node) => node.text.includes(label));
  if (found.length === 0) throw new Error(`No button "${label}"`);
  return found[0];
}

export function hasButton(wrapper: Wrapper, label: string): boolean {
  return buttons(wrapper).some((node) => node.text.includes(label));
}

/** Presses a button and lets the resulting requests and re-renders finish. */
export async function press(wrapper: Wrapper, update: () => Promise<void>, label: string): Promise<void> {
  button(wrapper, label).trigger('onPress', {});
  await settle(update);
}

/** The Authorization + Stripe-Signature headers every data request must carry. */
export function expectSigned(request: RecordedRequest, token = /^Bearer at-\d+$/) {
  expect(request.headers.authorization).toMatch(token);
  expect(request.headers['stripe-signature']).toMatch(/^t=\d+,v1=sig\d+$/);
}
