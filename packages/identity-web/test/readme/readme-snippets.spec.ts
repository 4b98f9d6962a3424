import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { azureAdSettings, signInOverHttp, useEmulator } from 'entra-emulator/testing';
import type { CookieJar } from 'tough-cookie';
import { REPO_ROOT, snippetAfter, toCommonJs, typeErrors } from './readme-snippets';

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

describe("the README's Express app, run as written against the emulator", () => {
  const emulator = useEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'readme-express-'));
  let app: ChildProcess;
  let url: string;
  let output = '';

  const freePort = () =>
    new Promise<number>((resolve) => {
      const probe = createServer().listen(0, () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
  const get = async (path: string, jar?: CookieJar) =>
    fetch(`${url}${path}`, {
      redirect: 'manual',
      headers: { accept: 'application/json', cookie: jar ? await jar.getCookieString(url) : '' },
    });

  beforeAll(async () => {
    // Only the port changes: 5002 is the Express sample's, which may be running.
    expect(express).toContain('app.listen(5002);');
    const port = await freePort();
    url = `http://localhost:${port}`;
    writeFileSync(
      join(dir, 'app.cjs'),
      toCommonJs(express.replace('app.listen(5002);', `app.listen(${port});`)),
    );
    writeFileSync(
      join(dir, 'appsettings.json'),
      JSON.stringify({
        AzureAd: azureAdSettings(emulator(), DEFAULT_APPS.webApp),
        DownstreamApis: { GraphAPI: { BaseUrl: `${emulator().baseUrl}/v1.0`, Scopes: ['User.Read'] } },
      }),
    );
    // Outside the repository, the packages resolve from its node_modules: the built dist, as installed.
    app = spawn(process.execPath, ['app.cjs'], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk) => (output += chunk));
    app.stderr?.on('data', (chunk) => (output += chunk));
    for (let tries = 0; ; tries++) {
      if (app.exitCode !== null) throw new Error(`the snippet exited with ${app.exitCode}:\n${output}`);
      const answer = await fetch(url).catch(() => undefined);
      if (answer) return;
      if (tries > 300) throw new Error(`the snippet did not listen within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 40_000);
  afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('greets anonymous users at / and asks fetch callers elsewhere to sign in', async () => {
    expect(await (await get('/')).text()).toBe('Hello');
    const profile = await get('/profile');
    expect(profile.status).toBe(401);
    expect(await profile.json()).toMatchObject({ signInUrl: expect.stringContaining('/account/signin') });
  });

  it('signs alice in, then sends her through consent for User.Read on /profile and Mail.Read on /mail', async () => {
    const { jar, returnedTo } = await signInOverHttp(url, alice, { returnUrl: '/profile' });
    expect(returnedTo).toBe('/profile');
    expect(await (await get('/', jar)).text()).toBe(`Hello ${alice.displayName}`);

    // A fetch caller needing consent gets 401 with the URL that asks for it, then the answer.
    const afterConsent = async (path: string, scope: string) => {
      const needsConsent = await get(path, jar);
      expect(needsConsent.status).toBe(401);
      const { challengeUrl } = (await needsConsent.json()) as { challengeUrl: string };
      const consented = await signInOverHttp(url, alice, { jar, startAt: challengeUrl });
      expect(consented.consentScopes).toContain(scope);
      const answer = await get(path, jar);
      expect(answer.status).toBe(200);
      return answer.json();
    };
    expect(await afterConsent('/profile', 'User.Read')).toMatchObject({
      displayName: alice.displayName,
      userPrincipalName: alice.username,
    });
    expect(await afterConsent('/mail', 'Mail.Read')).toMatchObject({ value: expect.any(Array) });
  });
});
