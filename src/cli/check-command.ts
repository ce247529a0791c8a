/**
 * `deeprelax check`: the regularity report (the paper's claims measured on the user's f at t, β).
 */
import { formatReport, regularityReport } from '../pde/index.js';
import { CliError } from './args.js';
import { writeTextFile, type CliIO } from './io.js';
import { sampleProblem, type ProblemFlags } from './relax-command.js';

/** Flags of `deeprelax check`. */
export interface CheckFlags extends ProblemFlags { t: number; beta: number; pde: boolean; out?: string }

/** Runs `deeprelax check`; exits 1 when a row contradicts what the theory predicts. */
export async function checkCommand(flags: CheckFlags, io: CliIO): Promise<void> {
  const f = sampleProblem(flags);
  let rows;
  try { rows = regularityReport(f, { t: flags.t, beta: flags.beta, pde: flags.pde }); } catch (err) { throw new CliError((err as Error).message, 1); }
  io.out(`regularity of f = ${flags.f} on ${f.grid.toString()} at t = ${flags.t}, beta = ${flags.beta === Infinity ? 'inf' : flags.beta}\n`);
  io.out(formatReport(rows, { format: 'plain' }) + '\n');
  if (flags.out !== undefined) { writeTextFile(flags.out, formatReport(rows, { format: 'markdown' }) + '\n'); io.out(`wrote ${flags.out}\n`); }
  const surprises = rows.filter((r) => (r.expected === 'pass' && !r.pass) || (r.expected === 'fail' && r.pass));
  if (surprises.length > 0) throw new CliError(`${surprises.length} check(s) disagree with the theory: ${surprises.map((r) => `${r.solver}/${r.name}`).join(', ')}.`, 1);
  io.out(`all ${rows.length} rows agree with the theory.\n`);
}
