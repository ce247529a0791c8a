/**
 * `deeprelax train`: train mnistfc or LeNet on the fixed MNIST split with SGD, Entropy-SGD, HJ or
 * HEAT; a progress bar on a terminal, plain lines otherwise; Ctrl-C stops after the current step.
 */
import { CliError } from './args.js';
import { writeTextFile, type CliIO } from './io.js';

/** Flags of `deeprelax train`. */
export interface TrainFlags {
  model: 'mnistfc' | 'lenet';
  optim: 'sgd' | 'entropy-sgd' | 'hj' | 'heat';
  epochs: number;
  lr?: number;
  innerSteps: number;
  t: number;
  batchSize: number;
  trainSize?: number;
  seed: number;
  out?: string;
}

/** Runs `deeprelax train`. */
export async function trainCommand(flags: TrainFlags, io: CliIO, signal?: AbortSignal): Promise<void> {
  const nn = await import('../nn/index.js');
  const optim = await import('../optim/index.js');
  const model = flags.model === 'mnistfc' ? nn.mnistfc({ seed: flags.seed }) : nn.lenet({ seed: flags.seed });
  const split = nn.mnistSplit();
  const data = flags.trainSize === undefined ? split
    : { train: nn.subset(split.train, nn.stratifiedIndices(split.train, flags.trainSize, flags.seed)), test: split.test };
  // Defaults follow the reference settings (paper-notes §4.7): SGD lr 0.1 with Nesterov momentum 0.9;
  // the local-entropy methods in the coupling form with lr 1 (x ← x − (x − μ)).
  const common = { momentum: 0.9, nesterov: true };
  let optimizer;
  switch (flags.optim) {
    case 'sgd': optimizer = optim.sgd({ lr: flags.lr ?? 0.1, ...common }); break;
    case 'entropy-sgd': optimizer = optim.entropySGD({ lr: flags.lr ?? 1, t: flags.t, innerSteps: flags.innerSteps, form: 'coupling', seed: flags.seed, ...common }); break;
    case 'heat': optimizer = optim.heat({ lr: flags.lr ?? 1, t: flags.t, innerSteps: flags.innerSteps, form: 'coupling', seed: flags.seed, ...common }); break;
    case 'hj': optimizer = optim.hj({ lr: flags.lr ?? 1, t: flags.t, innerSteps: flags.innerSteps, ...common }); break;
    default: throw new CliError(`--optim must be sgd, entropy-sgd, hj or heat; got ${JSON.stringify(flags.optim satisfies never)}.`);
  }
  io.out(`training ${flags.model} (${model.paramCount} parameters) with ${flags.optim} on ${data.train.count} training / ${data.test.count} test digits, ${flags.epochs} effective epochs, seed ${flags.seed}\n`);
  let lastDraw = 0;
  const result = await nn.train({
    model, optimizer: optimizer as never, data, epochs: flags.epochs, batchSize: flags.batchSize, seed: flags.seed, signal,
    onProgress: (p) => {
      if (p.phase === 'eval' && p.entry) {
        if (io.isTTY) io.out('\r\x1b[2K');
        io.out(`epoch ${p.entry.epoch.toFixed(2)}  step ${p.entry.step}  train loss ${p.entry.trainLoss.toFixed(4)}  test error ${p.entry.testError.toFixed(2)}%\n`);
      } else if (io.isTTY && p.wallMs - lastDraw > 200) {
        lastDraw = p.wallMs;
        const width = 30, done = Math.min(width, Math.round((p.epoch / p.epochs) * width));
        io.out(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(100 * p.epoch / p.epochs).toFixed(1)}%  loss ${p.loss.toFixed(4)}`);
      }
    },
  });
  if (io.isTTY) io.out('\r\x1b[2K');
  io.out(`${result.stopped === 'aborted' ? 'stopped early (interrupted)' : 'done'}: ${result.epochs.toFixed(2)} effective epochs, ${result.steps} steps, test error ${result.final.error.toFixed(2)}%, ${(result.wallMs / 1000).toFixed(1)} s\n`);
  if (flags.out !== undefined) {
    writeTextFile(flags.out, JSON.stringify({ flags, history: result.history, final: result.final, stopped: result.stopped }, null, 1) + '\n');
    io.out(`wrote ${flags.out}\n`);
  }
}
