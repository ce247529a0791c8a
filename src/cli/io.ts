/**
 * Where the CLI writes: an output sink (stdout/stderr, or buffers in tests) and file writers that
 * turn file-system failures into messages naming the path.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDirectory } from '../plot/index.js';
import { CliError } from './args.js';

/** The CLI's output streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is an interactive terminal (progress bars) or a pipe/file (plain lines). */
  isTTY: boolean;
}

/** The process's own streams. */
export const processIO: CliIO = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  isTTY: Boolean(process.stdout.isTTY),
};

/** Writes a text file, creating folders; any failure becomes a CliError naming the path (exit 1). */
export function writeTextFile(path: string, text: string): void {
  try {
    ensureDirectory(dirname(path));
    writeFileSync(path, text);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CliError(`cannot write ${path} (${reason}); choose a writable output path.`, 1);
  }
}
