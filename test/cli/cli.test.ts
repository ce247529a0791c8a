import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { normalCdf } from '../../src/pde/index.js';

const BIN = new URL('../../bin/deeprelax.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deeprelax-cli-'));

interface Run { code: number; stdout: string; stderr: string }

/** Spawns the installed command exactly as a user would (node bin/deeprelax.mjs …). */
function spawnCli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs the same program in-process (for the many bad-input cases; one spawn costs seconds). */
async function inProcess(args: string[]): Promise<Run> {
  let stdout = '', stderr = '';
  const io: CliIO = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

function readCsv(path: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

describe('deeprelax as a spawned process', () => {
  const runs: Record<string, Run> = {};
  const file = join(dir, 'plain-file');
  beforeAll(async () => {
    writeFileSync(file, 'not a folder');
    // Spawned concurrently: each start of tsx + mathjs costs seconds on a busy 2-core machine.
    const jobs: [string, string[]][] = [
      ['help', ['--help']],
      ['relax1d', ['relax', '--f', 'x^2/2', '--domain', '-2:2', '--n', '401', '--t', '0.5', '--beta', 'inf', '--out', 'u.csv', '--plot', 'u.png']],
      ['unknownFigure', ['figure', 'figure99']],
      ['unwritable', ['relax', '--f', 'x^2', '--t', '1', '--n', '11', '--out', join(file, 'u.csv')]],
    ];
    const results = await Promise.all(jobs.map(([, args]) => spawnCli(args)));
    jobs.forEach(([name], i) => { runs[name] = results[i]; });
  }, 120_000);

  it('--help lists every command and exits 0', () => {
    expect(runs.help.code).toBe(0);
    for (const cmd of ['relax', 'check', 'figure', 'train', 'backends']) expect(runs.help.stdout).toContain(cmd);
  });

  it('relax (1-D, Hopf–Lax of x²/2) writes u = x²/(2(1+t)) within the mesh bound, and a PNG + SVG plot', () => {
    expect(runs.relax1d.code, runs.relax1d.stderr).toBe(0);
    expect(runs.relax1d.stdout).toMatch(/method: hopf-lax/);
    const { header, rows } = readCsv(join(dir, 'u.csv'));
    expect(header).toEqual(['x', 'f', 'u']);
    expect(rows.length).toBe(401);
    const t = 0.5, h = 4 / 400;
    const tol = ((1 + 1 / t) * h * h) / 8 + 1e-12; // a quadratic of curvature 1 + 1/t minimised on a mesh of step h
    for (const [x, f, u] of rows) {
      expect(Math.abs(f - (x * x) / 2)).toBeLessThan(1e-12);
      expect(Math.abs(u - (x * x) / (2 * (1 + t)))).toBeLessThanOrEqual(tol);
    }
    const png = readFileSync(join(dir, 'u.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(readFileSync(join(dir, 'u.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('an unknown figure is refused with the list of figures, exit code 2', () => {
    expect(runs.unknownFigure.code).toBe(2);
    expect(runs.unknownFigure.stderr).toMatch(/deeprelax: unknown figure "figure99"; choose one of: figure1-smoothing, landscape, regularity, dynamics, optimizers-2d, experiments, all\./);
  });

  it('an unwritable output path names the path and the reason, exit code 1', () => {
    expect(runs.unwritable.code).toBe(1);
    expect(runs.unwritable.stderr).toMatch(/deeprelax: cannot write .*plain-file\/u\.csv \(ENOTDIR\); choose a writable output path\./);
  });

});

describe('deeprelax bad input (same program, in-process)', () => {
  it.each([
    [['relax', '--f', 'x^2', '--t', '1', '--domain', '-3:a'], /--domain.*axis 1 is "-3:a"; write LOWER:UPPER per axis/],
    [['relax', '--f', 'x^2', '--t', '1', '--domain', '3:-3'], /axis 1 is "3:-3"; the lower end must be below the upper end/],
    [['relax', '--f', 'x^2', '--t', '1', '--n', '10.5'], /--n.*axis 1 is "10.5"; give whole point counts ≥ 2/],
    [['relax', '--f', 'x^2', '--t', '1', '--domain', '-1:1,-1:1', '--n', '11,11,11'], /--n has 3 counts but --domain has 2 axes/],
    [['relax', '--f', 'x^2 +', '--t', '1'], /--f "x\^2 \+": could not parse "x\^2 \+"/],
    [['relax', '--f', 'x^2 + y', '--t', '1'], /unknown variable "y" in "x\^2 \+ y".*Use x in 1-D\./],
    [['relax', '--f', 'log(x)', '--t', '1'], /--f "log\(x\)": f must be finite at every grid point/],
    [['relax', '--f', 'x^2', '--t', '0'], /--t.*"0" is not a number > 0/],
    [['relax', '--f', 'x^2', '--t', '1', '--beta', '-1'], /--beta.*"-1" is not > 0; give a number or 'inf'/],
    [['relax', '--f', 'x^2', '--t', '1', '--method', 'magic'], /--method.*magic.*Allowed choices are auto, cole-hopf, hopf-lax, fd/],
    [['relax', '--f', 'x^2', '--t', '1', '--method', 'hopf-lax', '--beta', '2'], /beta must be Infinity with method 'hopf-lax'/],
    [['relax', '--f', 'x^2', '--t', '1', '--n', '11', '--out', 'u.txt'], /--out "u\.txt" must end in \.csv or \.json\./],
    [['relax', '--t', '1'], /required option '--f <expr>' not specified/],
    [['figure', 'nope'], /unknown figure "nope"/],
    [['frobnicate'], /unknown command "frobnicate"; choose one of relax, check, figure, train, backends/],
  ])('%j is refused with a message that says what to fix', async (args, message) => {
    const run = await inProcess(args as string[]);
    expect(run.code).toBeGreaterThan(0);
    expect(run.stderr).toMatch(message as RegExp);
  });

  it('relax (2-D, Cole–Hopf of |x|²/2) writes JSON whose u matches |x|²/(2(1+t)) + (d/(2β)) log(1+t)', async () => {
    const run = await inProcess(['relax', '--f', 'x^2/2 + y^2/2', '--domain', '-2:2,-2:2', '--n', '81,81', '--t', '0.5', '--beta', '4', '--out', join(dir, 'u2.json')]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'u2.json'), 'utf8'));
    expect(out.grid.shape).toEqual([81, 81]);
    const t = 0.5, beta = 4, h = 4 / 80, sd = Math.sqrt(t / (beta * (1 + t))); // Gibbs measure: N(x/(1+t), t/(β(1+t))) per axis
    for (let i = 20; i <= 60; i++) for (let j = 20; j <= 60; j++) {
      const x = -2 + i * h, y = -2 + j * h;
      const exact = (x * x + y * y) / (2 * (1 + t)) + (2 / (2 * beta)) * Math.log(1 + t);
      // the box [−2, 2]² cuts off the Gibbs tails: u rises by ≤ β⁻¹·(lost mass)/(1 − lost mass); the lattice sum
      // itself is exact to e^{−2π²σ²/h²} (Poisson summation), negligible here
      let lost = 0;
      for (const c of [x / (1 + t), y / (1 + t)]) lost += normalCdf(-(2 - c) / sd) + normalCdf(-(2 + c) / sd);
      expect(Math.abs(out.u[i * 81 + j] - exact)).toBeLessThanOrEqual(lost / (beta * (1 - lost)) + 1e-12);
    }
  });

  it('relax --backend gpu (Hopf–Lax of x²/2 on gpu.js, webasm when no hardware adapter) matches x²/(2(1+t)) within mesh + float32 bounds', async () => {
    const run = await inProcess(['relax', '--f', 'x^2/2', '--domain', '-2:2', '--n', '401', '--t', '0.5', '--beta', 'inf', '--backend', 'gpu', '--out', join(dir, 'ugpu.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/method: hopf-lax \(float32, gpu\.js\)/);
    const { rows } = readCsv(join(dir, 'ugpu.csv'));
    const t = 0.5, h = 4 / 400;
    // grid minimisation error ≤ (1 + 1/t)h²/8 (a quadratic of curvature 1 + 1/t minimised on a mesh of step h),
    // plus float32 rounding of values ≤ 2: a few ulps of 2, 4·2·2⁻²⁴
    const tol = ((1 + 1 / t) * h * h) / 8 + 8 * 2 ** -24;
    for (const row of rows) expect(Math.abs(row[2] - (row[0] * row[0]) / (2 * (1 + t)))).toBeLessThanOrEqual(tol);
  });

  it('backends lists cpu as available', async () => {
    const run = await inProcess(['backends']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^cpu\s+yes\s+float64 reference/m);
  });

  it('usage errors exit 2, failed runs exit 1', async () => {
    expect((await inProcess(['relax', '--f', 'x^2', '--t', 'x'])).code).toBe(2);
    expect((await inProcess(['relax', '--f', 'x^2', '--t', '1', '--method', 'hopf-lax', '--beta', '2'])).code).toBe(1);
  });

  it('check reports the regularity rows for x²/2 and agrees with the theory (exit 0)', async () => {
    const run = await inProcess(['check', '--f', 'x^2/2', '--domain', '-2:2', '--n', '201', '--t', '0.5', '--beta', '4', '--no-pde', '--out', join(dir, 'check.md')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/semiconcav/i);
    expect(run.stdout).toMatch(/all \d+ rows agree with the theory\./);
    expect(existsSync(join(dir, 'check.md'))).toBe(true);
  });
});
