import { DEFAULT_APPS, DEFAULT_USERS, type RunningEmulator } from '../../src/index';

/**
 * A user's access token for `scope`, asked by the default web app with the password grant (no
 * browser): for tests whose subject is what a resource does with the token.
 *
 * @example
 * ```ts
 * const token = await userTokenByPassword(emu(), 'api://todo-api/access_as_user');
 * ```
 */
export async function userTokenByPassword(
  emu: RunningEmulator,
  scope: string,
  user: { username: string; password: string } = DEFAULT_USERS.alice,
): Promise<string> {
  const res = await fetch(`${emu.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: DEFAULT_APPS.webApp.clientId,
      client_secret: DEFAULT_APPS.webApp.clientSecret,
      username: user.username,
      password: user.password,
      scope,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`test: no access token: ${JSON.stringify(body)}`);
  return body.access_token;
}
