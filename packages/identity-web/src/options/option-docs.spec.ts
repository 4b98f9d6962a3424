import { join } from 'node:path';
import ts from 'typescript';

const LIBRARY = join(__dirname, '..', '..');
const OUT = '/virtual/dist';
/** The option types a user writes or reads, with the sections reached through them. */
const PUBLIC_OPTION_TYPES = [
  'IdentityWebModuleOptions',
  'IdentityWebOptions',
  'MicrosoftIdentityOptions',
  'CredentialDescription',
  'DownstreamApiOptions',
  'AcquireTokenOptions',
  'SessionOptions',
  'TokenCacheOptions',
  'ConsentOptions',
  'HttpOptions',
];

/** The library's declaration files, as `npm publish` ships them, kept in memory. */
function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(LIBRARY, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const program = ts.createProgram([join(LIBRARY, 'src', 'index.ts')], {
    ...config.options,
    outDir: OUT,
    emitDeclarationOnly: true,
    sourceMap: false,
  });
  const files = new Map<string, string>();
  program.emit(undefined, (name, text) => files.set(name, text), undefined, true);
  return files;
}

/** `Type.property` for every property without documentation, through nested option types. */
function undocumented(checker: ts.TypeChecker, type: ts.Type, name: string, seen: Set<ts.Type>): string[] {
  if (seen.has(type)) return [];
  seen.add(type);
  return checker.getPropertiesOfType(type).flatMap((property) => {
    const docs = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
    const own = docs === '' ? [`${name}.${property.name}`] : [];
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const valueType =
      declaration && checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
    const nested = valueType
      ?.getSymbol()
      ?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(OUT))
      ? undocumented(checker, valueType, `${name}.${property.name}`, seen)
      : [];
    return [...own, ...nested];
  });
}

describe('option types in editors', () => {
  it('document every key in the published declarations (the types are mapped from the section descriptions)', () => {
    const files = emitDeclarations();
    const host = ts.createCompilerHost({});
    const readSourceFile = host.getSourceFile;
    host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
    host.directoryExists = (dir) => dir.startsWith(OUT) || ts.sys.directoryExists(dir);
    host.readFile = (file) => files.get(file) ?? ts.sys.readFile(file);
    host.getSourceFile = (file, language) =>
      files.has(file)
        ? ts.createSourceFile(file, files.get(file)!, language)
        : readSourceFile(file, language);
    const consumer = ts.createProgram(
      [`${OUT}/index.d.ts`],
      { strict: true, skipLibCheck: true, noEmit: true, module: ts.ModuleKind.NodeNext, types: [] },
      host,
    );
    const checker = consumer.getTypeChecker();
    const exported = checker.getExportsOfModule(
      checker.getSymbolAtLocation(consumer.getSourceFile(`${OUT}/index.d.ts`)!)!,
    );
    const missing = PUBLIC_OPTION_TYPES.flatMap((name) => {
      const symbol = exported.find((s) => s.name === name);
      if (!symbol) return [`${name} is not exported`];
      const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol));
      expect(checker.getPropertiesOfType(type).length).toBeGreaterThan(0);
      return undocumented(checker, type, name, new Set());
    });
    expect(missing).toEqual([]);
  }, 120_000);
});
