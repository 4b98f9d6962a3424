import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = join(__dirname, '../../../..');

/**
 * The first ```ts block after `heading` in a README (a path from the repository's root), as a
 * user copies it. Throws when the heading or its block is gone, so a renamed section fails loudly.
 */
export function snippetAfter(readme: string, heading: string): string {
  const text = readFileSync(join(REPO_ROOT, readme), 'utf8');
  const at = text.split('\n').findIndex((line) => line.startsWith('#') && line.includes(heading));
  if (at < 0) throw new Error(`${readme} has no heading containing "${heading}"`);
  const rest = text
    .split('\n')
    .slice(at + 1)
    .join('\n');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(rest);
  const nextHeading = /^#/m.exec(rest);
  if (!block || (nextHeading && nextHeading.index < block.index))
    throw new Error(`${readme} has no \`\`\`ts block under "${heading}"`);
  return block[1];
}

/** A user's strict TypeScript set-up for a Node ES module app (top-level await allowed). */
const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2023,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
};

/**
 * Type-checks snippets (file name → text; `.mts` for ES modules, `.d.ts` for declarations of
 * the names a snippet takes as given) as files of an app inside this repository: the package
 * names resolve, through node_modules, to the built packages' `exports` and `.d.ts`, as an
 * installed package's would. Returns the compiler's messages, with the file and line.
 */
export function typeErrors(files: Record<string, string>): string[] {
  const dir = join(REPO_ROOT, 'packages/identity-web/test/readme/snippets');
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(dir, name), text]));
  const host = ts.createCompilerHost(OPTIONS);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.slice(dir.length + 1)}:${line + 1}: ${message}`;
  });
}

/** A snippet compiled to CommonJS, for Node to run from outside the repository. */
export function toCommonJs(snippet: string): string {
  return ts.transpileModule(snippet, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
}

/** A free TCP port on this machine. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs an Express snippet as written, in Node, from a folder outside the repository holding the
 * `appsettings.json` that `settings()` gives: the packages resolve from the repository's
 * node_modules (the built dist, as installed). Only the port in `listenCall` changes, to a free
 * one. Returns the app's URL once it answers; stops it after the tests.
 */
export function useSnippetApp(
  snippet: string,
  listenCall: string,
  settings: () => Record<string, unknown>,
): () => string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-express-'));
  let app: ChildProcess | undefined;
  let url = '';
  let output = '';

  beforeAll(async () => {
    if (!snippet.includes(listenCall)) throw new Error(`the snippet no longer calls ${listenCall}`);
    const port = await freePort();
    url = `http://localhost:${port}`;
    const code = toCommonJs(snippet.replace(listenCall, listenCall.replace(/\d+/, String(port))));
    writeFileSync(join(dir, 'app.cjs'), code);
    writeFileSync(join(dir, 'appsettings.json'), JSON.stringify(settings()));
    app = spawn(process.execPath, ['app.cjs'], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk) => (output += chunk));
    app.stderr?.on('data', (chunk) => (output += chunk));
    for (let tries = 0; ; tries++) {
      if (app.exitCode !== null) throw new Error(`the snippet exited with ${app.exitCode}:\n${output}`);
      if (await fetch(url).catch(() => undefined)) return;
      if (tries > 300) throw new Error(`the snippet did not listen within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 40_000);
  afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app?.once('exit', resolve));
      app.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return () => url;
}
