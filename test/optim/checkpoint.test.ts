import { describe, it, expect } from 'vitest';
import { sgd } from '../../src/optim/sgd.js';
import { adam } from '../../src/optim/adam.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { heat } from '../../src/optim/heat.js';
import { hj } from '../../src/optim/hj.js';
import { sam } from '../../src/optim/sam.js';
import { elasticSGD } from '../../src/optim/elastic-sgd.js';
import { noisyOracle } from '../../src/optim/stochastic.js';
import { scoping } from '../../src/optim/schedules.js';
import type { Optimizer, Vector } from '../../src/optim/types.js';
import { diagonalQuadratic } from './helpers.js';

const factories: [string, () => Optimizer<unknown>][] = [
  ['sgd', () => sgd({ lr: 0.1, momentum: 0.9, nesterov: true }) as Optimizer<unknown>],
  ['adam', () => adam({ lr: 0.05 }) as Optimizer<unknown>],
  ['entropySGD', () => entropySGD({ lr: 0.5, t: scoping(1, 0.1), innerSteps: 4, beta: 100, momentum: 0.5, innerMomentum: 0.5, seed: 3 }) as Optimizer<unknown>],
  ['heat', () => heat({ lr: 0.5, t: 1, innerSteps: 4, beta: 100, seed: 3 }) as Optimizer<unknown>],
  ['entropySGD normals simd', () => entropySGD({ lr: 0.5, t: scoping(1, 0.1), innerSteps: 4, beta: 100, momentum: 0.5, innerMomentum: 0.5, seed: 3, normals: 'simd' }) as Optimizer<unknown>],
  ['heat normals simd', () => heat({ lr: 0.5, t: 1, innerSteps: 5, beta: 100, seed: 3, normals: 'simd' }) as Optimizer<unknown>],
  ['hj', () => hj({ lr: 0.2, t: scoping(2, 0.1), innerSteps: 3, momentum: 0.9 }) as Optimizer<unknown>],
  ['sam', () => sam({ lr: 0.1, rho: 0.1, momentum: 0.5 }) as Optimizer<unknown>],
  ['elasticSGD', () => elasticSGD({ replicas: 3, lr: 0.2, t: 0.5, rho: 0.2, innerSteps: 3, beta: 100, momentum: 0.5, seed: 9 }) as Optimizer<unknown>],
  ['elasticSGD normals simd', () => elasticSGD({ replicas: 3, lr: 0.2, t: 0.5, rho: 0.2, innerSteps: 3, beta: 100, momentum: 0.5, seed: 9, normals: 'simd' }) as Optimizer<unknown>],
];

describe.each(factories)('%s: state() / load() round trip', (_, make) => {
  it.each([Float64Array, Float32Array])('checkpoint after 3 steps, resume in a fresh optimizer: the next 4 steps are identical (%o)', (Type) => {
    const noisy = noisyOracle(diagonalQuadratic([1, 2, 0.5]), { sigma: 0.1, seed: 17 });
    const x = new Type([1, -1, 2]) as Vector;
    const opt = make();
    for (let i = 0; i < 3; i++) opt.step(x, noisy.oracle);
    const saved = structuredClone({ opt: opt.state(), oracle: noisy.state(), x: Array.from(x) });
    const rest: number[][] = [];
    for (let i = 0; i < 4; i++) { opt.step(x, noisy.oracle); rest.push(Array.from(x)); }
    const resumed = make();
    resumed.load(saved.opt); noisy.load(saved.oracle);
    const y = new Type(saved.x) as Vector;
    for (let i = 0; i < 4; i++) { resumed.step(y, noisy.oracle); expect(Array.from(y)).toEqual(rest[i]); }
  });
});

describe('an optimizer is bound to one problem size', () => {
  it('stepping with another length throws', () => {
    const opt = sgd({ lr: 0.1 });
    opt.step(new Float64Array(3), diagonalQuadratic([1, 1, 1]));
    expect(() => opt.step(new Float64Array(2), diagonalQuadratic([1, 1]))).toThrow(/sgd: x must have length 3 \(the size this optimizer was first used with\); got 2\./);
  });
});
