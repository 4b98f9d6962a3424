// nest-identity-web/express: the library in a plain Express app, without a Nest app.
export { createIdentityWeb, IdentityWebExpress } from './identity-web-express';
export type { IdentityWebExpressOverrides, RequireSignInOptions } from './identity-web-express';
