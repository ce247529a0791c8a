/**
 * A serialisable objective for replicas in worker threads: a module path, the name of a factory it
 * exports, and structured-clonable options. Each replica a (in a worker or in-process) builds its
 * own oracle `factory(options, a)`, so stochastic replicas draw their own minibatch streams and the
 * parallel run equals the sequential one bit for bit.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { GradientOracle } from './types.js';
import { mustBeType } from '../util/validate.js';

/** Where a replica's oracle comes from. */
export interface ReplicaObjective {
  /** Module path (absolute, or relative to the working directory) or file: URL. */
  module: string;
  /**
   * Export name of the factory `(options, replica: number) => GradientOracle | Promise<GradientOracle>`.
   * @defaultValue 'createOracle'
   */
  exportName?: string;
  /** Structured-clonable options passed to the factory. */
  options?: unknown;
}

/** The module's URL (file: URLs pass through). */
export function objectiveUrl(objective: ReplicaObjective): string {
  mustBeType('ReplicaObjective', 'module', objective.module, typeof objective.module === 'string' && objective.module.length > 0, 'a module path or file: URL');
  return objective.module.startsWith('file:') ? objective.module : pathToFileURL(path.resolve(objective.module)).href;
}

/**
 * Imports the module and builds replica a's oracle.
 * @throws TypeError if the export is not a function or does not return one
 */
export async function loadReplicaOracle(objective: ReplicaObjective, replica: number): Promise<GradientOracle> {
  const name = objective.exportName ?? 'createOracle';
  const mod = (await import(objectiveUrl(objective))) as Record<string, unknown>;
  const factory = mod[name];
  mustBeType('ReplicaObjective', 'exportName', name, typeof factory === 'function', `the name of a function exported by ${objective.module}`);
  const oracle = await (factory as (o: unknown, a: number) => GradientOracle | Promise<GradientOracle>)(objective.options, replica);
  mustBeType('ReplicaObjective', 'factory result', oracle, typeof oracle === 'function', 'a GradientOracle (x, grad) => loss');
  return oracle;
}
