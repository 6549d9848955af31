import Table from 'cli-table3';
import { createColors } from 'picocolors';

/** Colours only on a terminal, and never with NO_COLOR. */
export const colors = createColors(!!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb');

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A human table (its header in bold on a terminal). */
export function printTable(head: string[], rows: Array<Array<string | number | null | undefined>>): void {
  const table = new Table({ head: head.map((h) => colors.bold(h)), style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((c) => (c === null || c === undefined ? '' : String(c))));
  process.stdout.write(`${table.toString()}\n`);
}

export function colourStatus(status: string): string {
  if (status === 'Active' || status === 'Done' || status === 'Succeeded') return colors.green(status);
  if (status === 'Error' || status === 'Failed') return colors.red(status);
  if (status === 'Terminated' || status === 'Cancelled') return colors.dim(status);
  return colors.yellow(status);
}
