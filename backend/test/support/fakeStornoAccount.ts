// An in-memory Storno account port for flow tests: users, their companies, and authorization codes.
// The same flow runs against the real Storno sandbox in the end-to-end tests.
import { randomUUID } from 'node:crypto';
import type { StornoAccountApi, StornoCompanySummary, StornoUserTokens } from '../../src/oauth/stornoAccount.js';

export interface FakeUser {
  email: string;
  name: string;
  companies: StornoCompanySummary[];
}

export class FakeStornoAccount implements StornoAccountApi {
  readonly webOrigin = 'http://storno.test';
  readonly revoked: string[] = [];
  private readonly codes = new Map<string, FakeUser>();
  private readonly tokens = new Map<string, FakeUser>();

  constructor(readonly users: FakeUser[]) {}

  authorizeUrl(input: { redirectUri: string; state: string; codeVerifier: string }): string {
    const url = new URL('/oauth2/authorize', this.webOrigin);
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('state', input.state);
    return url.toString();
  }

  /** What Storno's sign-in page does: the user signs in, Storno redirects back with a code. */
  issueCode(email: string): string {
    const user = this.users.find((u) => u.email === email);
    if (!user) throw new Error(`no fake user ${email}`);
    const code = randomUUID();
    this.codes.set(code, user);
    return code;
  }

  async exchangeCode(input: { code: string }): Promise<StornoUserTokens> {
    const user = this.codes.get(input.code);
    if (!user) throw new Error('invalid_grant');
    this.codes.delete(input.code);
    return this.mint(user);
  }

  async refresh(refreshToken: string): Promise<StornoUserTokens> {
    const user = this.tokens.get(refreshToken);
    if (!user) throw new Error('invalid_grant');
    this.tokens.delete(refreshToken);
    return this.mint(user);
  }

  async revoke(token: string): Promise<void> {
    this.revoked.push(token);
    this.tokens.delete(token);
  }

  async me(accessToken: string) {
    const user = this.tokens.get(accessToken);
    if (!user) throw new Error('401');
    return { email: user.email, name: user.name };
  }

  async companies(accessToken: string) {
    const user = this.tokens.get(accessToken);
    if (!user) throw new Error('401');
    return user.companies;
  }

  private mint(user: FakeUser): StornoUserTokens {
    const accessToken = `storno_oat_${randomUUID()}`;
    const refreshToken = `storno_ort_${randomUUID()}`;
    this.tokens.set(accessToken, user);
    this.tokens.set(refreshToken, user);
    return { accessToken, refreshToken, expiresAt: Date.now() + 3_600_000 };
  }
}

export const COMPANY_A = { id: '11111111-1111-4111-8111-111111111111', name: 'Demo Software SRL', cif: '12345674' };
export const COMPANY_B = { id: '22222222-2222-4222-8222-222222222222', name: 'Second Company SRL', cif: '4221306' };

export function demoUsers(): FakeUser[] {
  return [
    { email: 'demo@storno.test', name: 'Demo User', companies: [COMPANY_A, COMPANY_B] },
    { email: 'limited@storno.test', name: 'Limited User', companies: [COMPANY_B] },
    { email: 'nobody@storno.test', name: 'No Company', companies: [] },
  ];
}
