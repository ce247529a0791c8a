// Worker-thread entry for elasticSGDParallel: registers the tsx loader when the worker module is
// TypeScript source (development, tests), then imports it. Plain JS needs no loader.
import { workerData } from 'node:worker_threads';
if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
