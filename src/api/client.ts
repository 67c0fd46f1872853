// The backend client: every call carries `Authorization: Bearer <access token>` and a fresh `Stripe-Signature`.
// Tokens live in the Secret Store (user scope); the access token is refreshed shortly before it expires and
// once more after a `401 unauthorized`. `401 reauthorization_required` or a refused refresh deletes the tokens.
import type {
  CreateDocumentRequest,
  CustomerResponse,
  DashboardResponse,
  DashboardTab,
  DeviceAuthorizationResponse,
  DocumentFilesResponse,
  DocumentSummary,
  InvoiceResponse,
  OAuthErrorResponse,
  PaymentResponse,
  RefundResponse,
  SettingsResponse,
  SettingsUpdate,
  SubscriptionResponse,
  TokenResponse,
} from './contract';
import { getPlatform } from './platform';

export const TOKEN_SECRET_NAME = 'storno_tokens';
/** The device grant waiting for approval, so a reload or another tab keeps following it until it expires. */
export const DEVICE_GRANT_SECRET_NAME = 'storno_device_grant';
/** Refresh this many seconds before the access token expires. */
export const REFRESH_MARGIN_SECONDS = 60;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface StoredTokens {
  access_token: string;
  refresh_token: string;
  /** Unix seconds. */
  expires_at: number;
}

/** A device authorization still waiting for approval; `expires_at` in unix milliseconds. */
export interface PendingGrant extends DeviceAuthorizationResponse {
  expires_at: number;
}

export interface ClientIdentity {
  /** Ends with `/`. */
  baseUrl: string;
  userId: string;
  accountId: string;
}

/** The backend answered with an error (`{error, message}`) or could not be reached (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The document would reach ANAF after its legal deadline (issue 12): `confirm()` makes it anyway. */
export class LateDocumentError extends ApiError {
  constructor(
    source: ApiError,
    readonly confirm: () => Promise<DocumentSummary>,
  ) {
    super(source.status, source.code, source.message, source.body);
    this.name = 'LateDocumentError';
  }
}

export type ConnectionProblem = 'disconnected' | 'reauthorization_required';

/** No usable tokens: the views offer to connect (again). */
export class NotConnectedError extends Error {
  constructor(readonly reason: ConnectionProblem) {
    super(reason);
    this.name = 'NotConnectedError';
  }
}

export type DevicePollResult = { kind: 'connected' } | { kind: OAuthErrorResponse['error'] | 'network_error'; description: string | null };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const enc = encodeURIComponent;

export class StornoClient {
  private tokens: StoredTokens | null | undefined;
  private refreshing: Promise<StoredTokens> | null = null;
  /** Set when the backend or a refresh refused our tokens; the views say "needs re-authorization". */
  reauthorizationRequired = false;

  constructor(readonly identity: ClientIdentity) {}

  // ---- tokens ---------------------------------------------------------------------------------------

  private async loadTokens(): Promise<StoredTokens | null> {
    if (this.tokens !== undefined) return this.tokens;
    const raw = await getPlatform().secrets.get(this.identity.userId, TOKEN_SECRET_NAME);
    let parsed: StoredTokens | null = null;
    if (raw) {
      try {
        const value = JSON.parse(raw) as Partial<StoredTokens>;
        if (typeof value.access_token === 'string' && typeof value.refresh_token === 'string' && typeof value.expires_at === 'number') {
          parsed = value as StoredTokens;
        }
      } catch {
        parsed = null;
      }
    }
    this.tokens = parsed;
    return parsed;
  }

  /** The tokens as stored now (another tab of this user may have connected or refreshed since we read them). */
  async reloadTokens(): Promise<StoredTokens | null> {
    this.tokens = undefined;
    return this.loadTokens();
  }

  private async saveTokens(response: TokenResponse): Promise<StoredTokens> {
    const tokens: StoredTokens = {
      access_token: response.access_token,
      refresh_token: response.refresh_token,
      expires_at: Math.floor(getPlatform().now() / 1000) + response.expires_in,
    };
    await getPlatform().secrets.set(this.identity.userId, TOKEN_SECRET_NAME, JSON.stringify(tokens));
    this.tokens = tokens;
    this.reauthorizationRequired = false;
    return tokens;
  }

  /** Forget the tokens (Secret Store and memory). */
  async clearTokens(reason: ConnectionProblem = 'disconnected'): Promise<void> {
    this.tokens = null;
    this.reauthorizationRequired = reason === 'reauthorization_required';
    await getPlatform().secrets.delete(this.identity.userId, TOKEN_SECRET_NAME);
  }

  private async reauthorize(): Promise<never> {
    await this.clearTokens('reauthorization_required');
    throw new NotConnectedError('reauthorization_required');
  }

  private async accessToken(): Promise<string> {
    const tokens = await this.loadTokens();
    if (!tokens) throw new NotConnectedError(this.reauthorizationRequired ? 'reauthorization_required' : 'disconnected');
    const nowSeconds = getPlatform().now() / 1000;
    if (tokens.expires_at - nowSeconds <= REFRESH_MARGIN_SECONDS) return (await this.refresh()).access_token;
    return tokens.access_token;
  }

  /**
   * One refresh at a time in this tab: refresh tokens rotate and a reused one revokes the connection. Other tabs
   * share the Secret Store, so it is read again first: a pair another tab already rotated to is used as it is.
   * (Two tabs rotating at the very same moment both get the same new pair from the backend's grace period.)
   */
  private refresh(): Promise<StoredTokens> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private rotatedElsewhere(known: StoredTokens | null | undefined, latest: StoredTokens | null): latest is StoredTokens {
    return !!latest && latest.refresh_token !== known?.refresh_token && latest.expires_at - getPlatform().now() / 1000 > REFRESH_MARGIN_SECONDS;
  }

  private async doRefresh(): Promise<StoredTokens> {
    const known = this.tokens;
    const tokens = await this.reloadTokens();
    if (!tokens) throw new NotConnectedError('disconnected');
    if (known && this.rotatedElsewhere(known, tokens)) return tokens;
    const response = await this.send('POST', 'token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, null);
    const body = await readJson(response);
    if (response.ok && isObject(body) && typeof body.access_token === 'string') return this.saveTokens(body as unknown as TokenResponse);
    if (response.status >= 400 && response.status < 500) {
      // Another tab may have rotated while our request was on its way: its pair is ours too.
      const latest = await this.reloadTokens();
      if (this.rotatedElsewhere(tokens, latest)) return latest;
      return this.reauthorize();
    }
    throw new ApiError(response.status, isObject(body) && typeof body.error === 'string' ? body.error : 'refresh_failed', messageOf(body, response));
  }

  // ---- transport ------------------------------------------------------------------------------------

  private async send(method: string, path: string, body: unknown, accessToken: string | null): Promise<Response> {
    const platform = getPlatform();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Stripe-Signature': await platform.fetchSignature(),
    };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await platform.fetch(this.identity.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
    }
  }

  /** An authenticated call; JSON in and out. */
  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, body, await this.accessToken());
    if (response.status === 401) {
      const error = await readJson(response);
      if (isObject(error) && error.error === 'reauthorization_required') return this.reauthorize();
      response = await this.send(method, path, body, (await this.refresh()).access_token);
      if (response.status === 401) return this.reauthorize();
    }
    const result = await readJson(response);
    if (!response.ok) {
      throw new ApiError(response.status, isObject(result) && typeof result.error === 'string' ? result.error : 'http_error', messageOf(result, response), result);
    }
    return result as T;
  }

  // ---- device flow (RFC 8628) ------------------------------------------------------------------------

  async startDeviceAuthorization(): Promise<DeviceAuthorizationResponse> {
    const response = await this.send('POST', 'oauth/device', { stripe_account_id: this.identity.accountId, user_id: this.identity.userId }, null);
    const body = await readJson(response);
    if (!response.ok || !isObject(body) || typeof body.device_code !== 'string') {
      throw new ApiError(response.status, isObject(body) && typeof body.error === 'string' ? body.error : 'device_failed', messageOf(body, response), body);
    }
    return body as unknown as DeviceAuthorizationResponse;
  }

  /** Remembers the grant in the Secret Store (user scope) until it expires; a failure there only costs that memory. */
  async savePendingGrant(grant: DeviceAuthorizationResponse): Promise<PendingGrant> {
    const platform = getPlatform();
    const pending: PendingGrant = { ...grant, expires_at: platform.now() + Math.max(1, grant.expires_in) * 1000 };
    try {
      await platform.secrets.set(this.identity.userId, DEVICE_GRANT_SECRET_NAME, JSON.stringify(pending), Math.ceil(pending.expires_at / 1000));
    } catch {
      // This tab still follows the grant; only a reload would lose it.
    }
    return pending;
  }

  /** The grant some tab of this user started and that still waits for approval, if any. */
  async pendingGrant(): Promise<PendingGrant | null> {
    let raw: string | null;
    try {
      raw = await getPlatform().secrets.get(this.identity.userId, DEVICE_GRANT_SECRET_NAME);
    } catch {
      return null;
    }
    if (!raw) return null;
    try {
      const value = JSON.parse(raw) as Partial<PendingGrant>;
      const complete =
        typeof value.device_code === 'string' &&
        typeof value.verification_uri_complete === 'string' &&
        typeof value.verification_uri === 'string' &&
        typeof value.user_code === 'string' &&
        typeof value.expires_at === 'number';
      return complete && value.expires_at! > getPlatform().now() ? (value as PendingGrant) : null;
    } catch {
      return null;
    }
  }

  async forgetPendingGrant(): Promise<void> {
    await getPlatform()
      .secrets.delete(this.identity.userId, DEVICE_GRANT_SECRET_NAME)
      .catch(() => undefined);
  }

  /** One poll of the token endpoint; stores the tokens on success. */
  async pollDeviceToken(deviceCode: string): Promise<DevicePollResult> {
    let response: Response;
    try {
      response = await this.send('POST', 'token', { grant_type: DEVICE_GRANT, device_code: deviceCode }, null);
    } catch (error) {
      return { kind: 'network_error', description: error instanceof Error ? error.message : null };
    }
    const body = await readJson(response);
    if (response.ok && isObject(body) && typeof body.access_token === 'string') {
      await this.saveTokens(body as unknown as TokenResponse);
      return { kind: 'connected' };
    }
    const error = isObject(body) && typeof body.error === 'string' ? (body.error as OAuthErrorResponse['error']) : 'invalid_request';
    const description = isObject(body) && typeof body.error_description === 'string' ? body.error_description : null;
    return { kind: error, description };
  }

  // ---- routes ---------------------------------------------------------------------------------------

  getSettings = () => this.request<SettingsResponse>('GET', 'settings');
  updateSettings = (update: SettingsUpdate) => this.request<SettingsResponse>('PUT', 'settings', update);

  /** Revokes the connection at the backend, then forgets the tokens. */
  async disconnect(): Promise<void> {
    try {
      await this.request<unknown>('POST', 'disconnect', {});
    } catch (error) {
      // Already unusable tokens: nothing left to revoke.
      if (!(error instanceof NotConnectedError)) throw error;
    }
    await this.clearTokens('disconnected');
  }

  getDashboard = (tab: DashboardTab) => this.request<DashboardResponse>('GET', `dashboard?tab=${enc(tab)}`);
  getCustomer = (id: string) => this.request<CustomerResponse>('GET', `customers/${enc(id)}`);
  createClient = (customerId: string) => this.request<CustomerResponse>('POST', `customers/${enc(customerId)}/client`, {});
  getPayment = (id: string) => this.request<PaymentResponse>('GET', `payments/${enc(id)}`);
  getInvoice = (id: string) => this.request<InvoiceResponse>('GET', `invoices/${enc(id)}`);
  getRefund = (id: string) => this.request<RefundResponse>('GET', `refunds/${enc(id)}`);
  getSubscription = (id: string) => this.request<SubscriptionResponse>('GET', `subscriptions/${enc(id)}`);

  private create = async (path: string, request: CreateDocumentRequest): Promise<DocumentSummary> => {
    try {
      return await this.request<DocumentSummary>('POST', path, request);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'deadline_passed') throw new LateDocumentError(err, () => this.create(path, { ...request, confirmLate: true }));
      throw err;
    }
  };

  createPaymentEinvoice = (id: string, request: CreateDocumentRequest = {}) => this.create(`payments/${enc(id)}/einvoice`, request);
  createInvoiceEinvoice = (id: string, request: CreateDocumentRequest = {}) => this.create(`invoices/${enc(id)}/einvoice`, request);
  createCycleEinvoice = (subscriptionId: string, invoiceId: string, request: CreateDocumentRequest = {}) =>
    this.create(`subscriptions/${enc(subscriptionId)}/cycles/${enc(invoiceId)}/einvoice`, request);
  createCreditNote = (refundId: string, request: CreateDocumentRequest = {}) => this.create(`refunds/${enc(refundId)}/credit-note`, request);
  retryDocument = (documentId: string, request: CreateDocumentRequest = {}) => this.create(`documents/${enc(documentId)}/retry`, request);
  resendDocument = (documentId: string) => this.create(`documents/${enc(documentId)}/resend`, {});
  confirmClient = (customerId: string, clientId: string) => this.request<CustomerResponse>('POST', `customers/${enc(customerId)}/client/confirm`, { clientId });
  /** Signed links (valid a few minutes) the browser opens: the PDF inline, the XML as a download. */
  getDocumentFiles = (documentId: string) => this.request<DocumentFilesResponse>('POST', `documents/${enc(documentId)}/files`, {});
  /** A sale whose webhook event failed before it had a document: put the event back in line (issue 12). */
  retryEvent = (eventId: string) => this.request<{ status: 'pending' }>('POST', `events/${enc(eventId)}/retry`, {});
}

function messageOf(body: unknown, response: Response): string {
  if (isObject(body)) {
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error_description === 'string') return body.error_description;
  }
  return `HTTP ${response.status}`;
}

const clients = new Map<string, StornoClient>();

/** One client per backend + user + account, shared by the hooks of a view (one refresh at a time). */
export function getClient(identity: ClientIdentity): StornoClient {
  const key = `${identity.baseUrl}|${identity.userId}|${identity.accountId}`;
  let client = clients.get(key);
  if (!client) {
    client = new StornoClient(identity);
    clients.set(key, client);
  }
  return client;
}

/** Tests: forget cached clients and their tokens. */
export function resetClients(): void {
  clients.clear();
}
