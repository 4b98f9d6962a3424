import { DEFAULT_APPS } from '../../src/index';

/**
 * The form of a client-credentials token request from the default web app for the Todo API.
 *
 * @example
 * ```ts
 * await fetch(`${emu.authority}/oauth2/v2.0/token`, { method: 'POST', body: webAppClientCredentialsForm() });
 * ```
 */
export function webAppClientCredentialsForm(): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEFAULT_APPS.webApp.clientId,
    client_secret: DEFAULT_APPS.webApp.clientSecret,
    scope: 'api://todo-api/.default',
  });
}
