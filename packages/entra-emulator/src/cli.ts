#!/usr/bin/env node
import { ensureKeyMaterial } from './certificates/certificate-store';
import { banner } from './cli/banner';
import { CliUsageError, parseCliArguments, USAGE } from './cli/cli-arguments';
import { lifetimeWarnings, readConfigFile } from './cli/config-file';
import { execWithEmulatorCa } from './cli/exec-command';
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
      const file = command.config ? readConfigFile(command.config) : undefined;
      const lifetimes = {
        accessTokenLifetimeSeconds: command.accessTokenLifetimeSeconds ?? file?.accessTokenLifetimeSeconds,
        idTokenLifetimeSeconds: command.idTokenLifetimeSeconds ?? file?.idTokenLifetimeSeconds,
      };
      for (const warning of lifetimeWarnings(lifetimes)) console.warn(warning);
      const emu = await startEmulator({
        port: command.port,
        host: command.host,
        directory: file?.directory,
        ...lifetimes,
        controlApi: command.controlApi,
        allowRemoteControl: command.allowRemoteControl,
        advertisePkce: command.advertisePkce,
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`entra-emulator: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof CliUsageError) console.error(`\n${USAGE}`);
    process.exitCode = 2;
  },
);
