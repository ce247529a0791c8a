// The RESULT lines that bench/device/nn-vs-torch.ts and torch-nets.py print, and the ratios between them.

/** One timing line: `RESULT model | who | wall ms min A median B | CPU ms min C median D`. */
export interface TimingLine { model: string; who: string; wallMin: number; wallMedian: number }

/** The RESULT lines of a log (ours and PyTorch's print the same format). */
export function parseResults(log: string): TimingLine[] {
  const out: TimingLine[] = [];
  for (const m of log.matchAll(/^RESULT (\S+) \| (.+?) \| wall ms min ([\d.]+) median ([\d.]+)/gm)) {
    out.push({ model: m[1], who: m[2], wallMin: Number(m[3]), wallMedian: Number(m[4]) });
  }
  return out;
}

/** Ours / PyTorch at equal thread counts (1 and 2), min and median wall time, one line per model. */
export function ratioLines(lines: TimingLine[]): string[] {
  const out: string[] = [];
  for (const model of new Set(lines.map((l) => l.model))) {
    for (const threads of [1, 2]) {
      const suffix = threads > 1 ? 's' : '';
      const ours = lines.find((l) => l.model === model && l.who === `ours wasm-simd ${threads} thread${suffix}`);
      const torch = lines.find((l) => l.model === model && l.who === `PyTorch ${threads} thread${suffix}`);
      if (ours && torch) out.push(`RATIO ${model} | ours / PyTorch, ${threads} thread${suffix} each | min ${(ours.wallMin / torch.wallMin).toFixed(2)}× median ${(ours.wallMedian / torch.wallMedian).toFixed(2)}×`);
    }
  }
  return out;
}
