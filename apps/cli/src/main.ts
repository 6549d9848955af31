import { Command, CommanderError } from 'commander';
import { registerBatchCommands } from './commands/batch.commands';
import { registerCatalogCommands } from './commands/catalog.commands';
import { registerInstanceCommands } from './commands/instance.commands';
import { CliContext } from './context';
import { ExitCode } from './exit-codes';
import { configFile } from './settings';

/** `cam-esc`: the gateway's API for operators and scripts. Exit codes: see exit-codes.ts (and the README). */
async function main(argv: string[]): Promise<void> {
  const program = new Command('cam-esc')
    .description('cam-esc-gateway from the command line: the catalog, deploys, batches, instances')
    .option('--url <url>', 'the gateway (CAM_ESC_URL, or "url" in the config file; http://127.0.0.1:3000)')
    .option('--token <token>', `the API token (CAM_ESC_TOKEN, or "token" in ${configFile()})`)
    .showHelpAfterError()
    .exitOverride();
  const ctx = new CliContext(program);
  registerCatalogCommands(program, ctx);
  registerInstanceCommands(program, ctx);
  registerBatchCommands(program, ctx);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // help and version are not errors; everything else commander refuses is a usage error
    process.exitCode = e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
}

// the entry of bin/cam-esc.js (from the sources, or from dist/apps/cli/main.js): runs as it loads
void main(process.argv);
