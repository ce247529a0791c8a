/**
 * Compiles the AssemblyScript kernels in wasm/assembly/*.ts into wasm/build/*.wasm.
 *
 * The .wasm files are committed so that installing and running deeprelax needs no compiler; the
 * test test/wasm/build-reproducible.test.ts recompiles every kernel and checks the bytes, so a
 * committed binary can never drift from its source. Run `npm run build:wasm` after editing a kernel.
 */
import asc from 'assemblyscript/asc';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: compilation always runs with relative paths from here (names in the binary). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The one set of compiler flags for every kernel. Memory is imported (the JS side owns it and may
 * share it between worker threads); the stub runtime has no GC: kernels only read and write memory
 * the caller hands them. `relaxed-simd` is enabled at compile time for kernels that opt into it; a
 * kernel that uses no relaxed instruction produces a binary that every SIMD-capable engine accepts.
 */
export const ascFlags = ['-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd,relaxed-simd,threads', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536', '--noExportMemory'];

/** Every kernel source, as a path relative to the repository root. */
export function kernelSources(): string[] {
  return readdirSync(join(repoRoot, 'wasm/assembly')).filter((f) => f.endsWith('.ts')).sort().map((f) => `wasm/assembly/${f}`);
}

/** Compiles one kernel source (relative path) and returns the binary; throws with the compiler's messages. */
export async function compileKernel(source: string): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  let stderr = '';
  const out = { write: (s: string | Uint8Array) => { stderr += String(s); return true; } };
  const { error } = await asc.main([source, ...ascFlags, '--outFile', 'out.wasm'], {
    stdout: out, stderr: out,
    writeFile: (name: string, contents: Uint8Array | string) => { if (name.endsWith('.wasm')) binary = contents as Uint8Array; },
    // asc resolves sources relative to the current directory: pin it to the repository root.
    readFile: async (name: string, baseDir: string) => {
      const { readFile } = await import('node:fs/promises');
      try { return await readFile(join(repoRoot, relative(repoRoot, join(baseDir, name))), 'utf8'); } catch { return null; }
    },
  });
  if (error || !binary) throw new Error(`AssemblyScript compilation of ${source} failed: ${error?.message ?? 'no binary'}\n${stderr}`);
  return binary;
}

/** The committed binary's path for a kernel source. */
export function binaryPathFor(source: string): string {
  return join(repoRoot, 'wasm/build', source.replace(/^wasm\/assembly\//, '').replace(/\.ts$/, '.wasm'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run build:wasm` builds every kernel; `npm run build:wasm -- stencil gemm` only the named ones.
  process.chdir(repoRoot);
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !kernelSources().includes(`wasm/assembly/${name}.ts`));
  if (unknown.length) throw new Error(`wasm-build: no kernel source wasm/assembly/<name>.ts for ${unknown.join(', ')}; kernels: ${kernelSources().join(', ')}`);
  for (const source of kernelSources().filter((s) => only.length === 0 || only.some((name) => s === `wasm/assembly/${name}.ts`))) {
    const binary = await compileKernel(source);
    writeFileSync(binaryPathFor(source), binary);
    console.log(`${source} → ${relative(repoRoot, binaryPathFor(source))} (${binary.length} bytes)`);
  }
}
