// The HTTP edge (the only module that imports Fastify): server set-up, security headers, cookies, rate limits,
// the one error renderer, operations endpoints and the page templates. Trusts nothing a browser sends.
export { createHttpServer, type HttpServerOptions } from './server.js';
export { createLogger, scrubLine, urlForLog, type Logger } from './logging.js';
export { createServiceMetrics, type ServiceMetrics } from './metrics.js';
export { registerOperationsRoutes, type ReadinessReport, type ReadinessCheck, type OperationsExposure } from './routes/operations.js';
export { createOperationsServer } from './operations-server.js';
export { sendError, toIdpError, type ErrorRendering } from './plugins/errors.js';
export type { CspSources } from './plugins/security-headers.js';
export { mountRouteTable, mountRaw, type RawMount, type TableRoute, type TableRequest, type TableResponse } from './route-table.js';
export { registerSamlRoutes } from './routes/saml.js';
export { registerSloRoutes } from './routes/slo.js';
export { registerIdpInitiatedSsoRoutes } from './routes/sso-init.js';
export { registerLoginRoutes, formBody, requireCsrf } from './routes/login.js';
export { answerToSp, backToSp } from './routes/answer-to-sp.js';
export type { RouteContext } from './routes/context.js';
export { sendOutcome, type OutcomeContext } from './outcome.js';
export { cookiePolicyFor, readSignedCookie, applyCookieChanges, BROWSER_COOKIE, type CookiePolicy } from './cookies.js';
export { registerCprRoutes } from './routes/cpr.js';
export { registerCprMemoryRoutes } from './routes/cpr-memory.js';
export { registerBusinessRoutes } from './routes/business.js';
export { registerMitidJwksRoute } from './routes/mitid-jwks.js';
