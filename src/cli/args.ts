/**
 * Parsers for CLI flags: they turn user text into validated values or throw a {@link CliError}
 * whose message says what to type instead.
 */
import { InvalidArgumentError } from 'commander';

/** A user error: printed as `deeprelax: <message>` with exit code 2 (usage) or 1 (failed run). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) { super(message); this.name = 'CliError'; }
}

/** Parses `-3:3` or `-2:2,-1:1` into per-axis [lower, upper] bounds. */
export function parseDomain(text: string): [number, number][] {
  const axes = text.split(',');
  return axes.map((axis, k) => {
    const parts = axis.split(':');
    const lo = Number(parts[0]), hi = Number(parts[1]);
    if (parts.length !== 2 || parts[0].trim() === '' || parts[1].trim() === '' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new InvalidArgumentError(`axis ${k + 1} is ${JSON.stringify(axis)}; write LOWER:UPPER per axis, axes separated by commas (e.g. -3:3 or -2:2,-2:2).`);
    }
    if (!(lo < hi)) throw new InvalidArgumentError(`axis ${k + 1} is ${JSON.stringify(axis)}; the lower end must be below the upper end.`);
    return [lo, hi];
  });
}

/** Parses `1001` or `401,401` into per-axis point counts (integers ≥ 2). */
export function parseShape(text: string): number[] {
  return text.split(',').map((part, k) => {
    const n = Number(part);
    if (part.trim() === '' || !Number.isInteger(n) || n < 2) {
      throw new InvalidArgumentError(`axis ${k + 1} is ${JSON.stringify(part)}; give whole point counts ≥ 2 per axis, separated by commas (e.g. 1001 or 401,401).`);
    }
    return n;
  });
}

/** Parses a finite number > 0. */
export function parsePositive(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a number > 0.`);
  return v;
}

/** Parses an integer ≥ 0 (seeds, counts). */
export function parseCount(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a whole number ≥ 0.`);
  return v;
}

/** Parses β: a number > 0, or `inf` / `Infinity` for the non-viscous limit. */
export function parseBeta(text: string): number {
  if (/^(inf|infinity)$/i.test(text.trim())) return Infinity;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v) || v <= 0) throw new InvalidArgumentError(`${JSON.stringify(text)} is not > 0; give a number or 'inf' (non-viscous).`);
  return v;
}

/** Parses one of `choices`. */
export function parseChoice<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text: string) => {
    if (!(choices as readonly string[]).includes(text)) throw new InvalidArgumentError(`${JSON.stringify(text)} is not one of ${choices.join(', ')}.`);
    return text as T;
  };
}
