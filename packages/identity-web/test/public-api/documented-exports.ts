import ts from 'typescript';

/** One name a package's barrel exports, and whether its declaration's TSDoc has an `@example`. */
export interface ExportedSymbol {
  name: string;
  hasExample: boolean;
}

/**
 * Every name `indexFile` exports (following re-exports to their declarations) and whether the
 * declaration carries TSDoc with an `@example` tag, read with the TypeScript compiler itself.
 */
export function exportedSymbols(indexFile: string): ExportedSymbol[] {
  const program = ts.createProgram([indexFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexFile);
  if (!source) throw new Error(`Cannot read ${indexFile}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${indexFile} is not a module`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const hasExample = (symbol.declarations ?? []).some((declaration) =>
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
    );
    return { name: exported.name, hasExample };
  });
}
