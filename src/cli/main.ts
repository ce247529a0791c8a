/**
 * The `deeprelax` command line. `runCli(argv, io)` parses and runs one command and returns the exit
 * code (0 success, 1 failed run, 2 bad usage); executing this file runs it on process.argv.
 * With no command it runs the main job (relax the Figure-1 loss, summarise, write Figure 1).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CliError, parseBeta, parseChoice, parseCount, parseDomain, parsePositive, parseShape } from './args.js';
import { processIO, type CliIO } from './io.js';
import { FIGURES } from './figure-command.js';

const METHODS = ['auto', 'cole-hopf', 'hopf-lax', 'fd'] as const;
const DEFAULT_OUT_DIR = 'notebooks/out';

function problemOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--f <expr>', "loss as a mathjs expression in x (1-D) or x, y (2-D), e.g. 'x^2 + 1.5*sin(2*pi*x)'")
    .option('--domain <box>', 'LOWER:UPPER per axis, comma-separated (e.g. -3:3 or -2:2,-2:2)', parseDomain, [[-3, 3]] as [number, number][])
    .option('--n <points>', 'grid points per axis, ends included (e.g. 1001 or 401,401)', parseShape, [1001])
    .requiredOption('--t <time>', 'relaxation time t > 0 (the paper\'s γ)', parsePositive)
    .option('--beta <beta>', "inverse temperature β > 0, or 'inf' for the non-viscous (Hopf–Lax) limit", parseBeta, Infinity);
}

/** Builds the commander program; actions write through `io`. */
export function buildProgram(io: CliIO, signal?: AbortSignal): Command {
  const program = new Command('deeprelax')
    .description('Relaxed losses of Deep Relaxation (Chaudhari, Oberman, Osher, Soatto, Carlier 2018): solve, check, plot, train.\nWith no command: the main job (relax the Figure-1 loss, print a summary, write Figure 1).')
    .option('--out-dir <dir>', 'folder for the main job\'s figure and report', DEFAULT_OUT_DIR)
    .option('--quick', 'main job at CI size', false)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .action(async (opts: { outDir: string; quick: boolean }) => {
      const { mainJob } = await import('./main-job.js');
      await mainJob({ outDir: opts.outDir, quick: opts.quick }, io);
    });

  problemOptions(program.command('relax').description('compute the relaxed loss u(·, t) of f on a grid'))
    .addOption(new Option('--method <method>', 'solver').choices(METHODS).default('auto'))
    .addOption(new Option('--backend <backend>', 'cpu (float64) or gpu (float32 gpu.js kernels)').choices(['cpu', 'gpu']).default('cpu'))
    .option('--out <file>', 'write x[,y], f, u as .csv or .json')
    .option('--plot <file.png>', 'plot f and u (PNG, with an SVG beside it)')
    .action(async (opts) => { const { relaxCommand } = await import('./relax-command.js'); await relaxCommand(opts, io); });

  problemOptions(program.command('check').description('measure the paper\'s regularity claims on the relaxation of f (exit 1 if one disagrees)'))
    .option('--no-pde', 'skip the finite-difference convergence row (the costliest)')
    .option('--out <file.md>', 'also write the report as Markdown')
    .action(async (opts) => { const { checkCommand } = await import('./check-command.js'); await checkCommand(opts, io); });

  program.command('figure')
    .description(`regenerate a paper figure: ${Object.keys(FIGURES).join(', ')}, or all`)
    .argument('<name>', 'figure name or all')
    .option('--quick', 'small sizes (CI)', false)
    .option('--out-dir <dir>', 'output folder', DEFAULT_OUT_DIR)
    .action(async (name: string, opts: { quick: boolean; outDir: string }) => {
      const { figureCommand } = await import('./figure-command.js');
      await figureCommand(name, opts, io);
    });

  program.command('train')
    .description('train a network on MNIST (fixed split) with a relaxation optimizer')
    .addOption(new Option('--model <model>').choices(['mnistfc', 'lenet']).default('mnistfc'))
    .addOption(new Option('--optim <optimizer>').choices(['sgd', 'entropy-sgd', 'hj', 'heat']).default('entropy-sgd'))
    .option('--epochs <n>', 'budget in effective epochs', parsePositive, 1)
    .option('--lr <lr>', 'outer learning rate (default 0.1 for sgd, 1 for the coupling-form methods)', parsePositive)
    .option('--inner-steps <L>', 'inner iterations L', parseCount, 5)
    .option('--t <time>', 'relaxation time t (the reference code\'s 1/g0)', parsePositive, 33.3)
    .option('--batch-size <n>', 'minibatch size', parseCount, 128)
    .option('--train-size <n>', 'use a stratified subset of the 8,000 training digits', parseCount)
    .option('--seed <seed>', 'seed of initialisation, minibatches and noise', parseCount, 0)
    .option('--out <file.json>', 'write the history as JSON')
    .action(async (opts) => { const { trainCommand } = await import('./train-command.js'); await trainCommand(opts, io, signal); });

  program.command('backends')
    .description('list the compute backends this machine can run')
    .action(async () => { const { backendsCommand } = await import('./backends-command.js'); await backendsCommand(io); });

  for (const cmd of program.commands) {
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code:
 * 0 success (and --help), 1 a run that failed (unwritable path, solver refusal), 2 bad usage.
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO, signal?: AbortSignal): Promise<number> {
  const program = buildProgram(io, signal);
  try {
    const first = argv[0];
    const commands = program.commands.map((c) => c.name());
    if (first !== undefined && !first.startsWith('-') && !commands.includes(first)) {
      throw new CliError(`unknown command ${JSON.stringify(first)}; choose one of ${commands.join(', ')} (or none for the main job).`);
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) { io.err(`deeprelax: ${err.message}\n`); return err.exitCode; }
    io.err(`deeprelax: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  // Ctrl-C: the first press asks the running job to stop after its current step, a second one exits now.
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: stopping after the current step (Ctrl-C again to quit now)\n');
    controller.abort();
  });
  runCli(process.argv.slice(2), processIO, controller.signal).then((code) => { process.exitCode = code; process.exit(code); });
}
