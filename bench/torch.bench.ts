// Our network engine beside PyTorch on the same machine, in the same run (issue #8: "where PyTorch is
// on the machine, the bench times the same model beside ours"): when `python3 -c "import torch"`
// works, this runs bench/device/nn-vs-torch.ts (ours on 1 and 2 threads, then the PyTorch twin
// bench/device/torch-nets.py at 1, 2 and all threads) on 2,048 MNIST digits and prints the ratios.
// Without PyTorch it says so and prints the ratios of the last committed device-machine run
// (bench/device/results/), labelled as such — never as a measurement of this machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResults, ratioLines } from './device/timing-lines.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'device', 'nn-vs-torch.ts');
let hasTorch = true;
try { execFileSync('python3', ['-c', 'import torch'], { stdio: 'ignore' }); } catch { hasTorch = false; }

console.log('\n## Networks: ours vs PyTorch (CPU), same machine, same run');
if (hasTorch) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deeprelax-torch-'));
  try {
    const data = path.join(dir, 'mnist.f32.gz');
    const tsx = (args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    tsx(['export', data]);
    process.stdout.write(tsx(['run', data, process.env.NN_ROUNDS ?? '40']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const results = path.join(here, 'device', 'results');
  const logs = readdirSync(results).filter((f) => f.startsWith('nn-vs-torch')).sort();
  console.log('PyTorch is not installed here (python3 -c "import torch" fails): nothing timed. The last run on a machine that has it:');
  for (const f of logs.slice(-1)) {
    const text = readFileSync(path.join(results, f), 'utf8');
    console.log(`${f} (${text.split('\n')[0]})`);
    for (const line of ratioLines(parseResults(text))) console.log(line);
  }
}
