// nest-identity-web/express: the library in a plain Express app, without a Nest app.
// The library's classes carry Nest's decorator metadata: load the polyfill a Nest app would.
import 'reflect-metadata';
export { createIdentityWeb, IdentityWebExpress } from './identity-web-express';
export type { IdentityWebExpressOverrides, RequireSignInOptions } from './identity-web-express';
