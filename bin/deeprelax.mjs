#!/usr/bin/env node
// The deeprelax command: registers tsx's ESM loader so that the TypeScript sources we ship run
// directly, then starts src/cli/main.ts (which reads process.argv).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
process.argv[1] = main;
await import(main);
