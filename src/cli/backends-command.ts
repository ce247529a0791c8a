/**
 * `deeprelax backends`: which compute backends this machine can run.
 */
import type { CliIO } from './io.js';

/** Runs `deeprelax backends`. */
export async function backendsCommand(io: CliIO): Promise<void> {
  const { backends } = await import('../gpu/index.js');
  const rows = await backends();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) io.out(`${r.name.padEnd(width)}  ${r.available ? 'yes' : 'no '}  ${r.reason}\n`);
}
