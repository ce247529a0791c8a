import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'deeprelax-notebooks-'));

// What each notebook must produce (figure stems); the report is <name>.md.
const EXPECTED: Record<string, string[]> = {
  'figure1-smoothing': ['figure1-smoothing'],
  landscape: ['landscape-1d', 'landscape-2d'],
  regularity: ['regularity-semiconcavity', 'regularity-minima', 'regularity-hessian', 'regularity-curvature', 'regularity-convergence'],
  dynamics: ['dynamics-homogenization', 'dynamics-elastic', 'dynamics-control'],
  'optimizers-2d': ['optimizers-2d-paths', 'optimizers-2d-loss'],
  experiments: ['experiments-validation'],
};

describe('notebooks in quick mode (npm run notebooks -- --quick)', () => {
  let run: { code: number; stdout: string; stderr: string; seconds: number };
  beforeAll(async () => {
    const started = performance.now();
    run = await new Promise((resolve) => {
      execFile(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'notebooks/run-all.ts', '--quick', '--out', out],
        { cwd: ROOT, timeout: 170_000 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? -1) : 0, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
    });
  }, 180_000);

  it('every notebook runs to the end', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const name of Object.keys(EXPECTED)) expect(run.stdout).toMatch(new RegExp(`✓ ${name}:`));
  });

  it.each(Object.entries(EXPECTED))('%s writes non-empty, valid PNG and SVG figures and a Markdown report', (name, stems) => {
    for (const stem of stems) {
      const png = readFileSync(join(out, `${stem}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])); // PNG signature
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect(png.readUInt32BE(16)).toBeGreaterThan(100); // width
      expect(png.readUInt32BE(20)).toBeGreaterThan(100); // height
      expect(png.subarray(png.length - 8, png.length - 4).toString('ascii')).toBe('IEND');
      const svg = readFileSync(join(out, `${stem}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    const report = readFileSync(join(out, `${name}.md`), 'utf8');
    expect(report).toMatch(/^# /);
    expect(report).toMatch(/\|---/); // at least one table of numbers
    for (const stem of stems) expect(report).toContain(`(${stem}.png)`);
  });

  it('writes nothing else than the expected outputs', () => {
    const files = readdirSync(out).filter((f) => statSync(join(out, f)).isFile()).sort();
    const expected = Object.entries(EXPECTED).flatMap(([name, stems]) => [`${name}.md`, ...stems.flatMap((s) => [`${s}.png`, `${s}.svg`])]).sort();
    expect(files).toEqual(expected);
  });
});
