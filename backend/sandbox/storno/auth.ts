// Who is calling and for which company (storno-api §1.1, §1.5): API keys, OAuth2 access tokens, company scoping.
import type { FastifyRequest } from 'fastify';
import { ApiError, fail, problem } from './errors.js';
import { hashSecret, UUID_RE } from './ids.js';
import type { Company, Membership, Organization, Store, User } from './state.js';
import { ALL_SCOPES } from './seed.js';

export interface Principal {
  user: User;
  membership: Membership;
  organization: Organization;
  /** Role permissions ∩ key/token scopes. */
  permissions: Set<string>;
  via: 'api_key' | 'oauth2';
}

const ROLE_PERMISSIONS: Record<Membership['role'], readonly string[]> = {
  owner: ALL_SCOPES,
  admin: ALL_SCOPES,
  accountant: ALL_SCOPES.filter((p) => !p.startsWith('webhook.manage')),
  employee: ALL_SCOPES.filter((p) => p.endsWith('.view') || p.endsWith('.create')),
};

const principals = new WeakMap<FastifyRequest, Principal>();

export const principalOf = (request: FastifyRequest): Principal => {
  const p = principals.get(request);
  if (!p) throw new ApiError(401, { code: 401, message: 'JWT Token not found' });
  return p;
};

function membershipFor(store: Store, user: User, organizationId: string | undefined): Membership | undefined {
  const own = store.state.memberships.filter((m) => m.userId === user.id);
  if (organizationId) return own.find((m) => m.organizationId === organizationId);
  return own[0];
}

function build(store: Store, user: User, membership: Membership | undefined, scopes: string[], via: Principal['via']): Principal {
  const organization = membership && store.state.organizations.find((o) => o.id === membership.organizationId);
  if (!membership || !organization) throw fail(403, 'No organization for this user.', { code: 'no_organization' });
  const granted = new Set(scopes);
  const denied = new Set(membership.deniedPermissions ?? []);
  const permissions = new Set(ROLE_PERMISSIONS[membership.role].filter((p) => granted.has(p) && !denied.has(p)));
  return { user, membership, organization, permissions, via };
}

/** Resolves the caller from the Authorization header, or throws the real server's exact auth error. */
export function authenticate(store: Store, request: FastifyRequest, nowMs = Date.now()): Principal {
  const header = request.headers.authorization;
  if (!header) throw new ApiError(401, { code: 401, message: 'JWT Token not found' });
  if (header.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    if (!token.startsWith('storno_oat_')) {
      // A user JWT: the sandbox issues none, so every one is invalid.
      throw new ApiError(401, { code: 401, message: 'Invalid JWT Token' });
    }
    const hash = hashSecret(token);
    const row = store.state.oauthTokens.find((t) => t.tokenHash === hash && t.kind === 'access');
    const user = row && store.state.users.find((u) => u.id === row.userId);
    if (!row || !user || row.revokedAtMs !== null || row.expiresAtMs <= nowMs) {
      throw new ApiError(401, { status_code: 401, message: 'Invalid OAuth2 token', error_code: 'OAUTH2_AUTH_FAILED' });
    }
    const p = build(store, user, membershipFor(store, user, row.organizationId), row.scopes, 'oauth2');
    principals.set(request, p);
    return p;
  }
  // Any other Authorization value is an API key (no "Bearer").
  const hash = hashSecret(header.trim());
  const key = store.state.apiKeys.find((k) => k.tokenHash === hash && k.revokedAt === null);
  const user = key && store.state.users.find((u) => u.id === key.userId);
  if (!key || !user) {
    throw new ApiError(403, {
      status_code: 403,
      detail: 'The API token is invalid, expired or revoked.',
      message: 'Invalid API Token',
      error_code: 'AUTH_HEADER_TOKEN',
    });
  }
  const orgHeader = headerValue(request, 'x-organization');
  const membership = (orgHeader && membershipFor(store, user, orgHeader)) || membershipFor(store, user, undefined);
  const p = build(store, user, membership, key.scopes, 'api_key');
  principals.set(request, p);
  return p;
}

export function requirePermission(principal: Principal, permission: string): void {
  if (!principal.permissions.has(permission)) throw problem(403, 'Access Denied.');
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Companies of the caller's organization that the membership may see. */
export function visibleCompanies(store: Store, principal: Principal): Company[] {
  const allowed = principal.membership.allowedCompanies;
  return store.state.companies.filter(
    (c) => c.organizationId === principal.organization.id && (allowed.length === 0 || allowed.includes(c.id)),
  );
}

export function canSeeCompany(store: Store, principal: Principal, companyId: string): boolean {
  return visibleCompanies(store, principal).some((c) => c.id === companyId);
}

/**
 * The company of a collection endpoint: `?company=` wins over `X-Company`; else the organization's only
 * company; unresolved → 404 {"error":"Company not found."}; a malformed UUID → 500 (as the real server).
 */
export function resolveCompany(store: Store, request: FastifyRequest, principal: Principal): Company {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.company === 'string' && query.company !== '' ? query.company : undefined;
  const explicit = fromQuery ?? headerValue(request, 'x-company');
  if (explicit !== undefined && explicit !== '') {
    if (!UUID_RE.test(explicit)) throw problem(500);
    const company = visibleCompanies(store, principal).find((c) => c.id === explicit);
    if (!company) throw fail(404, 'Company not found.');
    return company;
  }
  const orgCompanies = store.state.companies.filter((c) => c.organizationId === principal.organization.id);
  if (orgCompanies.length === 1 && canSeeCompany(store, principal, orgCompanies[0]!.id)) return orgCompanies[0]!;
  throw fail(404, 'Company not found.');
}

/** Path ids: a malformed UUID is an uncaught exception on the real server (500). */
export function assertUuid(id: string): void {
  if (!UUID_RE.test(id)) throw problem(500);
}
