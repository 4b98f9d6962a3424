/**
 * Reads `appsettings.json` as .NET configuration does: comments, trailing commas and a UTF-8
 * byte-order mark are accepted, `appsettings.{environment}.json` is layered over it, then
 * environment variables (`AzureAd__ClientSecret`). Syntax errors name the file, line and column.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { OptionsValidationError, type ConfigurationProblem } from '../errors';
import { overlayTree } from './configuration-tree';
import { applyAllEnvironmentVariables } from './environment-overrides';
import type { IdentityWebAppSettings } from './identity-web.app-settings';

/**
 * Where {@link loadAppSettings} reads from.
 *
 * @example
 * ```ts
 * const options: LoadAppSettingsOptions = { directory: __dirname, environment: 'Development' };
 * ```
 */
export interface LoadAppSettingsOptions {
  /** Folder holding `appsettings.json`. Default: the current working directory. */
  directory?: string;
  /**
   * Environment whose `appsettings.{environment}.json` is layered over `appsettings.json` (file
   * name matched in any casing). Default: `ASPNETCORE_ENVIRONMENT`, `DOTNET_ENVIRONMENT`, then
   * `NODE_ENV`, else `Production`, as .NET does.
   */
  environment?: string;
  /** Environment variables, applied last (`AzureAd__ClientSecret`, `DownstreamApis__TodoList__Scopes__0`). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What the parser's error codes mean, in words. */
const SYNTAX_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'expected the end of the file after the top-level object',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'comment not closed',
  UnexpectedEndOfString: 'string not closed',
  UnexpectedEndOfNumber: 'number not finished',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** `file:line:column` (1-based) of `offset` in `text`, as editors and terminals link it. */
function locationOf(file: string, text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${file}:${line}:${offset - before.lastIndexOf('\n')}`;
}

/** The value of a parsed node; duplicate keys (compared as .NET does, ignoring case) are problems. */
function valueOf(node: Node, file: string, text: string, problems: ConfigurationProblem[]): unknown {
  if (node.type === 'array')
    return (node.children ?? []).map((child) => valueOf(child, file, text, problems));
  if (node.type !== 'object') return node.value as unknown;
  const section: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const at = locationOf(file, text, keyNode.offset);
    if (seen.has(key.toLowerCase())) {
      problems.push({
        path: at,
        message: `repeats the key "${key}" (keys are case-insensitive): .NET refuses the file.`,
      });
    } else if (key === '__proto__') {
      problems.push({ path: at, message: 'uses "__proto__", which is not a configuration key.' });
    } else {
      seen.add(key.toLowerCase());
      section[key] = valueOf(valueNode, file, text, problems);
    }
  }
  return section;
}

/** One appsettings file, as a section tree; problems (syntax, duplicates) are added to `problems`. */
function readSettingsFile(file: string, problems: ConfigurationProblem[]): Record<string, unknown> {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  // The parser may report several errors at one place: the first says what is wrong there.
  const firstAtEachPlace = errors.filter((e, i) => errors.findIndex((f) => f.offset === e.offset) === i);
  for (const error of firstAtEachPlace) {
    const code = printParseErrorCode(error.error);
    problems.push({ path: locationOf(file, text, error.offset), message: `${SYNTAX_ERRORS[code] ?? code}.` });
  }
  if (errors.length > 0 || !root) return {};
  if (root.type !== 'object') {
    problems.push({
      path: locationOf(file, text, root.offset),
      message: 'must hold one JSON object at the top level.',
    });
    return {};
  }
  return valueOf(root, file, text, problems) as Record<string, unknown>;
}

/** `appsettings.{environment}.json` in `directory`, the exact name first, else in any casing. */
function environmentFile(directory: string, environment: string): string | undefined {
  const name = `appsettings.${environment}.json`;
  if (existsSync(join(directory, name))) return join(directory, name);
  const match = readdirSync(directory).find((entry) => entry.toLowerCase() === name.toLowerCase());
  return match === undefined ? undefined : join(directory, match);
}

/**
 * Loads an app's settings the way .NET configuration builds them, so an `appsettings.json` copied
 * from a Microsoft.Identity.Web app is read unchanged: `appsettings.json` (required), then
 * `appsettings.{environment}.json` layered over it (optional), then environment variables with
 * `__` (`AzureAd__ClientSecret`). Comments, trailing commas and a UTF-8 byte-order mark are
 * accepted. Keys match case-insensitively across layers; arrays merge element by element, as .NET's
 * index keys do. A missing `appsettings.json`, a syntax error or a repeated key throws an
 * `OptionsValidationError` whose lines name the file, line and column (`appsettings.json:7:5
 * expected ',' between entries.`). Every section is kept; pass the result to
 * `IdentityWebModule.forRoot()`, which validates the sections it reads.
 *
 * @example
 * ```ts
 * // appsettings.json + appsettings.Development.json (NODE_ENV=development) + AzureAd__ClientSecret
 * IdentityWebModule.forRoot(loadAppSettings({ directory: join(__dirname, '..') }));
 *
 * // a B2C app whose settings are under AzureAdB2C, and an API in a section of its own
 * IdentityWebModule.forRoot({
 *   ...loadAppSettings(),
 *   azureAdSection: 'AzureAdB2C',
 *   downstreamApiSections: { TodoList: 'TodoList' },
 * });
 * ```
 */
export function loadAppSettings(options: LoadAppSettingsOptions = {}): IdentityWebAppSettings {
  const env = options.env ?? process.env;
  const directory = resolve(options.directory ?? process.cwd());
  const environment =
    options.environment ??
    env.ASPNETCORE_ENVIRONMENT ??
    env.DOTNET_ENVIRONMENT ??
    env.NODE_ENV ??
    'Production';
  const base = join(directory, 'appsettings.json');
  if (!existsSync(base)) {
    throw new OptionsValidationError([
      {
        path: base,
        message:
          'was not found: loadAppSettings reads appsettings.json from `directory` (default: the current directory).',
      },
    ]);
  }
  const problems: ConfigurationProblem[] = [];
  let tree: unknown = readSettingsFile(base, problems);
  const layered = environmentFile(directory, environment);
  if (layered !== undefined) tree = overlayTree(tree, readSettingsFile(layered, problems));
  if (problems.length > 0) throw new OptionsValidationError(problems);
  return applyAllEnvironmentVariables(tree as Record<string, unknown>, env);
}
