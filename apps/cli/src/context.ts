import { Command, InvalidArgumentError } from 'commander';
import { CliError, ExitCode } from './exit-codes';
import { GatewayClient } from './gateway-client';
import { colors } from './output';
import { resolveSettings } from './settings';

/** What every command shares: the global options, one client, and how an action ends. */
export class CliContext {
  private gateway?: GatewayClient;

  constructor(private readonly program: Command) {}

  client(): GatewayClient {
    this.gateway ??= new GatewayClient(resolveSettings(this.program.opts<{ url?: string; token?: string }>()));
    return this.gateway;
  }

  /** A command's action: its errors become one line on stderr and the exit code that says what went wrong. */
  run<A extends unknown[]>(action: (...args: A) => Promise<ExitCode | void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      let code: ExitCode;
      try {
        code = (await action(...args)) ?? ExitCode.Ok;
      } catch (e) {
        code = e instanceof CliError ? e.code : ExitCode.Unexpected;
        process.stderr.write(`${colors.red('cam-esc:')} ${e instanceof CliError ? e.message : (e as Error).stack ?? String(e)}\n`);
      }
      await this.gateway?.close().catch(() => undefined);
      process.exitCode = code;
    };
  }
}

/** `--set k=v` (repeatable), collected as an object. */
export function collectSet(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('give name=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name}: give a whole number from 1`);
    return Number(value);
  };
}
