// The packages as a new user gets them, on both NestJS majors they accept.
//
// Packs the four packages as `npm publish` would and checks what each tarball holds. Then, for a
// NestJS 11 app (CommonJS) and a NestJS 12 app (ES modules), assembled in a temporary folder
// outside the repository so nothing can resolve from the monorepo's node_modules: installs the
// app's own dependencies from its committed lockfile (`npm ci`), adds the tarballs with
// `npm install --no-save`, checks that this moved none of the locked versions and left one copy
// of NestJS, type-checks and builds the app against the packed typings, starts it against an
// entra-emulator started from the packed emulator, signs alice in through the emulator's pages
// (fetch, a cookie jar, redirects followed by hand) and reads Graph's /me through each package.
//
// Run it after `npm run build`, under `entra-emulator exec` so Node trusts the emulator's CA:
// `npm run test:compat`. COMPAT_EXTRA_NODES: more Node binaries (separated by ':') to run each
// built app on, besides the one running this script (CI adds the other LTS line).
/* global fetch, AbortSignal -- Node's globals; the lint config declares only a few */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath, URL, URLSearchParams } from 'node:url';
import { CookieJar } from 'tough-cookie';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = {
  'nest-identity-web': 'packages/identity-web',
  'nest-identity-web-graph': 'packages/identity-web-graph',
  'nest-identity-web-azure': 'packages/identity-web-azure',
  'entra-emulator': 'packages/entra-emulator',
};
const APPS = [
  { folder: 'nest11', nestMajor: 11 },
  { folder: 'nest12', nestMajor: 12 },
];
const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const started = Date.now();

const log = (message) =>
  process.stdout.write(`[compat ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

function run(command, args, cwd) {
  log(`${cwd === root ? '' : `(${cwd}) `}${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

/** Files under `dir`, relative, skipping nothing: used on the small src and dist trees only. */
function walk(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, path) : [path];
  });
}

/** `npm run build` compiles src to dist; packing an older dist would test old code. */
function assertBuilt() {
  for (const [name, dir] of Object.entries(PACKAGES)) {
    const index = join(root, dir, 'dist/index.js');
    if (!existsSync(index))
      throw new Error(`${name} is not built (${dir}/dist): run \`npm run build\` first.`);
    const built = statSync(index).mtimeMs;
    const newer = walk(join(root, dir, 'src')).filter(
      (file) => !file.endsWith('.spec.ts') && statSync(join(root, dir, 'src', file)).mtimeMs > built,
    );
    if (newer.length)
      throw new Error(`${dir}/src/${newer[0]} is newer than ${dir}/dist: run \`npm run build\` first.`);
  }
}

/** Every file an `exports` map points at (`entra-emulator/testing` too), conditions flattened. */
function exportTargets(exports) {
  return typeof exports === 'string' ? [exports] : Object.values(exports ?? {}).flatMap(exportTargets);
}

/** Packs every package (already built: prepack scripts skipped) and checks each tarball's contents. */
function pack(destination) {
  const workspaces = Object.keys(PACKAGES).flatMap((name) => ['-w', name]);
  log(`npm pack ${workspaces.join(' ')} --ignore-scripts --pack-destination <tmp>`);
  const output = execFileSync(
    'npm',
    ['pack', ...workspaces, '--ignore-scripts', '--json', '--pack-destination', destination],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const tarballs = {};
  for (const { name, filename, files, size } of JSON.parse(output)) {
    const paths = files.map((file) => file.path);
    const manifest = JSON.parse(readFileSync(join(root, PACKAGES[name], 'package.json'), 'utf8'));
    const required = ['package.json', 'README.md', 'LICENSE', manifest.main, manifest.types];
    required.push(...Object.values(manifest.bin ?? {}), ...exportTargets(manifest.exports));
    for (const file of required)
      assert.ok(paths.includes(file.replace(/^\.\//, '')), `${filename} lacks ${file}`);
    const stray = paths.filter(
      (path) =>
        !['package.json', 'README.md', 'LICENSE'].includes(path) &&
        (!path.startsWith('dist/') || /\.spec\.|\.test\.|(^|\/)tests?\/|\.tsbuildinfo$/.test(path)),
    );
    assert.deepEqual(stray, [], `${filename} holds files a user should not get`);
    // A dist file without a source is a leftover of an earlier build (a renamed file): harmless
    // in CI's fresh clone, but it would be published from this tree.
    const sources = new Set(walk(join(root, PACKAGES[name], 'src')).map((file) => file.replace(/\.ts$/, '')));
    const orphans = paths.filter(
      (path) =>
        path.startsWith('dist/') && !sources.has(path.slice(5).replace(/(\.d)?\.js(\.map)?$|\.d\.ts$/, '')),
    );
    if (orphans.length)
      log(
        `warning: ${filename} holds ${orphans.join(', ')}, with no source: clean ${PACKAGES[name]}/dist and rebuild`,
      );
    log(`${filename}: ${paths.length} files, ${(size / 1024).toFixed(0)} kB, README.md + LICENSE + dist/`);
    tarballs[name] = join(destination, filename);
  }
  assert.deepEqual(Object.keys(tarballs).sort(), Object.keys(PACKAGES).sort(), 'npm pack skipped a package');
  return tarballs;
}

/** Every installed copy of a package under `dir`/node_modules, nested ones included. */
function installedCopies(dir, name, found = []) {
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) return found;
  const manifest = join(modules, name, 'package.json');
  if (existsSync(manifest)) found.push(JSON.parse(readFileSync(manifest, 'utf8')).version);
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@')
      ? readdirSync(join(modules, entry)).map((e) => `${entry}/${e}`)
      : [entry];
    for (const pkg of scoped) installedCopies(join(modules, pkg), name, found);
  }
  return found;
}

/** Copies the shared app source and one app's package.json + lockfile; installs, checks, builds. */
function assembleApp(app, work, tarballs) {
  const dir = join(work, app.folder);
  cpSync(join(root, 'compat/app'), dir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
  });
  cpSync(join(root, 'compat', app.folder), dir, { recursive: true });
  run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...Object.values(tarballs)], dir);

  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'),
    ).version;
    assert.equal(
      installed,
      lock.packages[`node_modules/${name}`].version,
      `installing the tarballs moved ${name}`,
    );
  }
  for (const name of ['@nestjs/common', '@nestjs/core']) {
    const copies = installedCopies(dir, name);
    assert.equal(
      copies.length,
      1,
      `${app.folder} has ${copies.length} copies of ${name}: ${copies.join(', ')}`,
    );
    assert.equal(Number(copies[0].split('.')[0]), app.nestMajor, `${app.folder} runs ${name} ${copies[0]}`);
  }
  const versions = ['@nestjs/core', '@nestjs/passport', '@nestjs/axios', ...Object.keys(PACKAGES)].map(
    (name) =>
      `${name}@${JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version}`,
  );
  log(`${app.folder}: ${versions.join(' ')}`);
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], dir);
  return dir;
}

/** Starts the built app on a free port; resolves once it listens. */
function startApp(node, dir, emulator) {
  const child = spawn(node, ['dist/main.js'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      PORT: '0',
      AzureAd__Instance: `${emulator.baseUrl}/`,
      DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
      IdentityWeb__Session__Secret: 'a-compat-test-session-secret-of-40-characters',
    },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the app did not listen within 60 s')), 60_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${err.message}\n--- app output ---\n${output}`));
    };
    const onData = (chunk) => {
      output += chunk;
      const listening = /listening on (http:\/\/[\w.:[\]-]+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        url: listening[1].replace('127.0.0.1', 'localhost'),
        output: () => output,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill();
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the app exited with ${code} before listening`)));
  });
}

/** A person with a browser that has no JavaScript: one cookie jar for the app and the emulator. */
class User {
  jar = new CookieJar();
  trail = [];

  /** `answers`: what to type in the emulator's fields, by field name (`username`, `password`...). */
  constructor(appUrl, answers) {
    this.appUrl = appUrl;
    this.answers = answers;
  }

  async send(url, { method = 'GET', body, accept = 'text/html' } = {}) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { accept, cookie: await this.jar.getCookieString(url) },
      signal: AbortSignal.timeout(30_000),
    });
    for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, url);
    const where = url.startsWith(this.appUrl) ? 'app' : 'emulator';
    const path = new URL(url).pathname.replace(/^\/[^/]+\/oauth2\/v2\.0\//, '/{tenant}/');
    this.trail.push(`${method} ${where} ${path} ${response.status}`);
    return response;
  }

  /**
   * Requests an app URL as `fetch` would and goes wherever it leads: redirects, the emulator's
   * sign-in and consent pages, and the app's `401 { challengeUrl }` round trips. Returns the app's
   * first 200 answer as JSON.
   */
  async open(path) {
    let request = { url: new URL(path, this.appUrl).toString(), method: 'GET' };
    for (let step = 0; step < 25; step++) {
      const onApp = request.url.startsWith(this.appUrl);
      const response = await this.send(request.url, {
        ...request,
        accept: onApp ? 'application/json' : 'text/html',
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        request = { url: new URL(location, request.url).toString(), method: 'GET' };
        continue;
      }
      const text = await response.text();
      if (onApp && response.status === 200) return JSON.parse(text);
      const challengeUrl = onApp && response.status === 401 ? JSON.parse(text).challengeUrl : undefined;
      if (challengeUrl) {
        request = { url: new URL(challengeUrl, this.appUrl).toString(), method: 'GET' };
        continue;
      }
      if (onApp || response.status !== 200)
        throw new Error(`${request.url} answered ${response.status}: ${text.slice(0, 500)}`);
      request = this.submitForm(text, request.url);
    }
    throw new Error(`${path} did not lead back to the app in 25 steps`);
  }

  /** Fills the emulator page's form: username/password, MFA code, consent (accepted). */
  submitForm(html, pageUrl) {
    const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`No form on ${pageUrl}: ${html.replace(/\s+/g, ' ').slice(0, 300)}`);
    const body = new URLSearchParams();
    for (const [input] of form[2].matchAll(/<input\b[^>]*>/gi)) {
      const name = /name="([^"]+)"/.exec(input)?.[1];
      if (!name) continue;
      const answer = Object.hasOwn(this.answers, name) ? this.answers[name] : undefined;
      body.set(name, decodeHtml(answer ?? /value="([^"]*)"/.exec(input)?.[1] ?? ''));
    }
    if (/name="decision"/.test(form[2])) body.set('decision', 'accept');
    return { url: new URL(decodeHtml(form[1]), pageUrl).toString(), method: 'POST', body };
  }
}

function decodeHtml(value) {
  const entities = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  return value.replace(/&(quot|#39|lt|gt|amp);/g, (entity) => entities[entity]);
}

/** Signs alice in and reads /me through DownstreamApiService, the Graph client and the Azure credential. */
async function exercise(user, alice) {
  const anonymous = await user.send(`${user.appUrl}/me`, { accept: 'application/json' });
  assert.equal(anonymous.status, 401, 'GET /me without a session must answer 401 to a fetch caller');

  const expected = { displayName: alice.displayName, userPrincipalName: alice.username };
  const signedIn = await user.open(`/account/signin?returnUrl=${encodeURIComponent('/me')}`);
  assert.ok(
    user.trail.some((step) => step.includes('/_signin/consent')),
    'the first sign-in should have shown the consent page',
  );
  for (const [route, body] of [
    ['/me (sign-in, then DownstreamApiService)', signedIn],
    ['/graph/me (GraphServiceClient)', await user.open('/graph/me')],
  ]) {
    assert.deepEqual(
      { displayName: body?.displayName, userPrincipalName: body?.userPrincipalName },
      expected,
      `${route} answered ${JSON.stringify(body)}`,
    );
  }
  const token = await user.open('/azure/token');
  assert.deepEqual(
    token,
    { aud: GRAPH_RESOURCE, upn: alice.username },
    '/azure/token (MicrosoftIdentityTokenCredential)',
  );
}

async function main() {
  if (!process.env.NODE_EXTRA_CA_CERTS || !process.env.ENTRA_EMULATOR_HOME)
    throw new Error('Run under `entra-emulator exec` (npm run test:compat) so Node trusts the emulator.');
  assertBuilt();
  const nodes = [process.execPath, ...(process.env.COMPAT_EXTRA_NODES ?? '').split(':').filter(Boolean)];
  const nodeVersions = nodes.map((node) => execFileSync(node, ['-v'], { encoding: 'utf8' }).trim());
  log(`Node ${nodeVersions.join(', ')}; npm ${execFileSync('npm', ['-v'], { encoding: 'utf8' }).trim()}`);

  const work = mkdtempSync(join(tmpdir(), 'identity-web-compat-'));
  log(`working in ${work} (kept if the run fails)`);
  const tarballs = pack(work);
  for (const app of APPS) {
    const dir = assembleApp(app, work, tarballs);
    const { startEmulator, DEFAULT_USERS } = createRequire(join(dir, 'package.json'))('entra-emulator');
    const emulator = await startEmulator({ port: 0 });
    try {
      for (const [index, node] of nodes.entries()) {
        emulator.control.reset();
        const server = await startApp(node, dir, emulator);
        const { username, password } = DEFAULT_USERS.alice;
        const user = new User(server.url, { username, password });
        try {
          await exercise(user, DEFAULT_USERS.alice);
        } catch (err) {
          const details = `requests:\n${user.trail.join('\n')}\n--- app output ---\n${server.output()}`;
          throw new Error(`${app.folder} on Node ${nodeVersions[index]}: ${err.message}\n${details}`, {
            cause: err,
          });
        } finally {
          await server.stop();
        }
        log(`${app.folder} on Node ${nodeVersions[index]}: signed in and read /me 3 ways:`);
        log(`  ${user.trail.join(', ')}`);
      }
    } finally {
      await emulator.close();
    }
  }
  rmSync(work, { recursive: true, force: true });
  log(
    `NestJS ${APPS.map((app) => app.nestMajor).join(' and ')} apps passed on Node ${nodeVersions.join(', ')}`,
  );
}

main().catch((err) => {
  process.stderr.write(`\ncompat test FAILED: ${err.stack ?? err}\n`);
  process.exit(1);
});
