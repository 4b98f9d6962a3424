import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { azureAdSettings, signInOverHttp, useEmulator } from 'entra-emulator/testing';
import type { CookieJar } from 'tough-cookie';
import { snippetAfter, typeErrors, useSnippetApp } from './readme-snippets';

// The README's "Without Nest" snippets are what users of the Express front door and of workers copy.
// They are read from the READMEs as written and checked against the built packages (`npm run build`
// first, as for every test that starts the emulator's CLI).
const express = snippetAfter('README.md', 'A plain Express app');
const worker = snippetAfter('README.md', 'Workers and scripts');
const packageExpress = snippetAfter('packages/identity-web/README.md', 'Without Nest');
const { alice } = DEFAULT_USERS;

describe("the READMEs' snippets without Nest", () => {
  it('type-check as written against the built packages, in a strict ES module app', () => {
    const errors = typeErrors({
      'readme-express.mts': express,
      'package-readme-express.mts': packageExpress,
      'readme-worker.mts': worker,
      // The worker snippet's inputs: a caller's token and a queued job.
      'worker-inputs.d.ts':
        'declare const incomingBearerToken: string;\ndeclare const job: { homeAccountId: string };\n',
    });
    expect(errors).toEqual([]);
  }, 60_000);
});

describe.each([
  ['README.md', express, 'app.listen(5002);'],
  ['packages/identity-web/README.md', packageExpress, 'app.listen(3000);'],
])("%s's Express app, run as written against the emulator", (_readme, snippet, listenCall) => {
  const emulator = useEmulator();
  const url = useSnippetApp(snippet, listenCall, () => ({
    AzureAd: azureAdSettings(emulator(), DEFAULT_APPS.webApp),
    DownstreamApis: { GraphAPI: { BaseUrl: `${emulator().baseUrl}/v1.0`, Scopes: ['User.Read'] } },
  }));
  const get = async (path: string, jar?: CookieJar) =>
    fetch(`${url()}${path}`, {
      redirect: 'manual',
      headers: { accept: 'application/json', cookie: jar ? await jar.getCookieString(url()) : '' },
    });
  /** A fetch caller needing consent gets 401 with the URL that asks for it, then the answer. */
  const afterConsent = async (jar: CookieJar, path: string, scope: string) => {
    const needsConsent = await get(path, jar);
    expect(needsConsent.status).toBe(401);
    const { challengeUrl } = (await needsConsent.json()) as { challengeUrl: string };
    const consented = await signInOverHttp(url(), alice, { jar, startAt: challengeUrl });
    expect(consented.consentScopes).toContain(scope);
    const answer = await get(path, jar);
    expect(answer.status).toBe(200);
    return answer.json();
  };

  it('asks fetch callers to sign in, then sends alice through consent for Mail.Read on /mail', async () => {
    const anonymous = await get('/mail');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ signInUrl: expect.stringContaining('/account/signin') });

    const { jar, returnedTo } = await signInOverHttp(url(), alice, { returnUrl: '/mail' });
    expect(returnedTo).toBe('/mail');
    expect(await afterConsent(jar, '/mail', 'Mail.Read')).toMatchObject({ value: expect.any(Array) });
  });

  if (snippet === express)
    it('greets at /, then by name, and reads her Graph profile after consent for User.Read', async () => {
      expect(await (await get('/')).text()).toBe('Hello');
      const { jar } = await signInOverHttp(url(), alice);
      expect(await (await get('/', jar)).text()).toBe(`Hello ${alice.displayName}`);
      expect(await afterConsent(jar, '/profile', 'User.Read')).toMatchObject({
        displayName: alice.displayName,
        userPrincipalName: alice.username,
      });
    });
});
