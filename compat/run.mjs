// The packages as a new user gets them, on both NestJS majors they accept and without Nest.
//
// Packs the four packages as `npm publish` would and checks what each tarball holds. Then, for a
// NestJS 11 app (CommonJS), a NestJS 12 app (ES modules) and a plain Express app (ES modules,
// `nest-identity-web/express`, no Nest application), each assembled in a temporary folder
// outside the repository so nothing can resolve from the monorepo's node_modules: installs the
// app's own dependencies from its committed lockfile (`npm ci`), adds the tarballs with
// `npm install --no-save`, checks that this moved none of the locked versions and left one copy
// of NestJS, type-checks and builds the app against the packed typings, starts it against an
// entra-emulator started from the packed emulator, signs alice in through the emulator's pages
// with the packed entra-emulator/testing kit, and reads Graph's /me through each package.
//
// Run it after `npm run build`, under `entra-emulator exec` so Node trusts the emulator's CA:
// `npm run test:compat`. COMPAT_EXTRA_NODES: more Node binaries (separated by ':') to run each
// built app on, besides the one running this script (CI adds the other LTS line).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { browser, exercise } from './exercise.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = {
  'nest-identity-web': 'packages/identity-web',
  'nest-identity-web-graph': 'packages/identity-web-graph',
  'nest-identity-web-azure': 'packages/identity-web-azure',
  'entra-emulator': 'packages/entra-emulator',
};
const APPS = [
  { folder: 'nest11', nestMajor: 11, source: 'app' },
  { folder: 'nest12', nestMajor: 12, source: 'app' },
  // No Nest application: express plus the library's Nest peers, from nest-identity-web/express.
  { folder: 'express', nestMajor: 12, express: true, packages: ['nest-identity-web', 'entra-emulator'] },
];
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

/** Copies the shared app source (if any) and the app's own folder; installs, checks, builds. */
function assembleApp(app, work, tarballs) {
  const dir = join(work, app.folder);
  const copy = (from) =>
    cpSync(join(root, 'compat', from), dir, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
    });
  if (app.source) copy(app.source);
  copy(app.folder);
  const packages = app.packages ?? Object.keys(PACKAGES);
  run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  run(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', ...packages.map((name) => tarballs[name])],
    dir,
  );

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
  const versions = ['@nestjs/core', '@nestjs/passport', '@nestjs/axios', ...packages].map(
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
    const load = createRequire(join(dir, 'package.json'));
    const { startEmulator, DEFAULT_USERS } = load('entra-emulator');
    const kit = load('entra-emulator/testing');
    const emulator = await startEmulator({ port: 0 });
    try {
      for (const [index, node] of nodes.entries()) {
        emulator.control.reset();
        const server = await startApp(node, dir, emulator);
        const user = browser(kit, server.url, DEFAULT_USERS.alice);
        let ways;
        try {
          ways = await exercise(app, user, DEFAULT_USERS.alice);
        } catch (err) {
          const details = `emulator pages: ${user.pages.join(', ')}\n--- app output ---\n${server.output()}`;
          throw new Error(`${app.folder} on Node ${nodeVersions[index]}: ${err.message}\n${details}`, {
            cause: err,
          });
        } finally {
          await server.stop();
        }
        log(
          `${app.folder} on Node ${nodeVersions[index]}: signed in (${user.pages.join(', ')}) and read /me ${ways} way${ways === 1 ? '' : 's'}`,
        );
      }
    } finally {
      await emulator.close();
    }
  }
  rmSync(work, { recursive: true, force: true });
  log(`NestJS 11 and 12 apps and a plain Express app passed on Node ${nodeVersions.join(', ')}`);
}

main().catch((err) => {
  process.stderr.write(`\ncompat test FAILED: ${err.stack ?? err}\n`);
  process.exit(1);
});
