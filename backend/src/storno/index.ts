// Typed Storno.ro API client: StornoClient (API calls), StornoOAuth (consent flow), typed errors, schemas.
export { StornoClient, STORNO_MAX_PAGE_SIZE } from './client.js';
export { StornoOAuth, createCodeVerifier, codeChallengeS256, type StornoOAuthOptions, type AuthorizeUrlParams } from './oauth.js';
export {
  StornoError,
  StornoAuthError,
  StornoCompanyNotFoundError,
  StornoNotFoundError,
  StornoValidationError,
  StornoPlanLimitError,
  StornoConflictError,
  StornoTransientError,
  StornoResponseError,
  isStornoError,
  type StornoValidationIssue,
} from './errors.js';
export { DEFAULT_RETRY, DEFAULT_CIRCUIT_BREAKER, DEFAULT_TIMEOUT_MS, resetCircuitBreakers } from './http.js';
export * from './types.js';
