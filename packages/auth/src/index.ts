export { callerKinds, roles, scopes, type Caller, type CallerKind, type Role, type Scope, scopesForRole } from './caller.js';
export { authorize, requireCaller, type Requirement } from './authorize.js';
export { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken, type AccessTokenClaims } from './access-token.js';
export { CallerAssertions, CALLER_HEADER } from './caller-assertion.js';
