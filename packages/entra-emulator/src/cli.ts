#!/usr/bin/env node
import { readFileSync } from 'node:fs';

import { ensureKeyMaterial } from './certificates/certificate-store';
import { banner } from './cli/banner';
import { parseCliArguments, USAGE } from './cli/cli-arguments';
import { execWithEmulatorCa } from './cli/exec-command';
import type { DirectoryConfig } from './directory/directory.types';
import { startEmulator } from './start-emulator';

async function main(argv: string[]): Promise<number> {
  const command = parseCliArguments(argv);
  switch (command.kind) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'cert':
      console.log((await ensureKeyMaterial(command.homeDir)).caCertificatePath);
      return 0;
    case 'exec':
      return execWithEmulatorCa(command.command, command.args, command.homeDir);
    case 'serve': {
      const directory = command.config ? readConfig(command.config) : undefined;
      const emu = await startEmulator({
        port: command.port,
        host: command.host,
        directory,
        controlApi: command.controlApi,
        allowRemoteControl: command.allowRemoteControl,
        homeDir: command.homeDir,
      });
      console.log(banner(emu, command.controlApi));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await emu.close();
      return 0;
    }
  }
}

function readConfig(path: string): DirectoryConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `--config ${path}: expected a JSON object with tenants/users/apps/grants/conditionalAccess`,
    );
  }
  return parsed as DirectoryConfig;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`entra-emulator: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof Error && /unknown argument|expected/.test(err.message)) console.error(USAGE);
    process.exitCode = 2;
  },
);
