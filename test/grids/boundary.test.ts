import { describe, it, expect } from 'vitest';
import { lineValue, resolveBoundary, dirichlet, neumann, periodic, extrapolate, type BoundaryCondition } from '../../src/grids/boundary.js';

// Two interleaved lines in one buffer: line A at even indices (stride 2), values 10, 11, 13, 16 (n = 4).
const buffer = Float64Array.from([10, -1, 11, -1, 13, -1, 16, -1]);
const ghost = (bc: BoundaryCondition, j: number) => lineValue(buffer, 0, 2, 4, j, bc);

describe('lineValue ghost values one cell outside the line', () => {
  it('neumann replicates the edge value: u[−1] = u[0], u[n] = u[n−1]', () => {
    expect([ghost(neumann, -1), ghost(neumann, 4)]).toEqual([10, 16]);
  });
  it('periodic identifies point 0 with point n−1 (period n − 1 cells): u[−1] = u[n−2], u[n] = u[1]', () => {
    expect([ghost(periodic, -1), ghost(periodic, 4)]).toEqual([13, 11]);
  });
  it('dirichlet(value) returns the value on both sides', () => {
    expect([ghost(dirichlet(-2.5), -1), ghost(dirichlet(-2.5), 4)]).toEqual([-2.5, -2.5]);
  });
  it('extrapolate continues the edge chord: u[−1] = 2u[0] − u[1], u[n] = 2u[n−1] − u[n−2]', () => {
    expect([ghost(extrapolate, -1), ghost(extrapolate, 4)]).toEqual([9, 19]);
  });
  it('reads inside points directly for any condition, through base and stride', () => {
    for (const bc of [neumann, periodic, dirichlet(7), extrapolate]) {
      expect([0, 1, 2, 3].map((j) => ghost(bc, j))).toEqual([10, 11, 13, 16]);
      expect(lineValue(buffer, 1, 2, 4, 2, bc)).toBe(-1); // the other line
    }
  });
});

describe('resolveBoundary', () => {
  it('accepts names and objects; undefined (or null) means neumann and the bare name dirichlet means value 0', () => {
    expect(resolveBoundary('f', undefined)).toEqual({ kind: 'neumann' });
    expect(resolveBoundary('f', null as unknown as undefined)).toEqual({ kind: 'neumann' }); // untyped JSON null
    expect(resolveBoundary('f', 'periodic')).toEqual({ kind: 'periodic' });
    expect(resolveBoundary('f', { kind: 'extrapolate' })).toEqual({ kind: 'extrapolate' });
    expect(resolveBoundary('f', 'dirichlet')).toEqual({ kind: 'dirichlet', value: 0 });
    expect(resolveBoundary('f', dirichlet(3))).toEqual({ kind: 'dirichlet', value: 3 });
  });
  it.each([
    ['reflect', /solve: boundary must be 'neumann' \| 'periodic' \| 'dirichlet' \| 'extrapolate' \(or dirichlet\(value\)\); got "reflect"\./],
    [{ kind: 'mirror' }, /solve: boundary must be .*; got \{ kind: "mirror" \}\./],
    [42, /solve: boundary must be .*; got 42\./],
    [{ kind: 'dirichlet', value: Infinity }, /solve: boundary.value must be a finite number for 'dirichlet'; got Infinity\./],
    [{ kind: 'dirichlet' }, /solve: boundary.value must be a finite number for 'dirichlet'; got undefined\./],
  ])('rejects %j with a message naming the caller', (bc, message) => {
    expect(() => resolveBoundary('solve', bc as BoundaryCondition)).toThrow(RangeError);
    expect(() => resolveBoundary('solve', bc as BoundaryCondition)).toThrow(message);
  });
  it('dirichlet() rejects a non-finite value', () => {
    expect(() => dirichlet(NaN)).toThrow(/dirichlet: value must be a finite number; got NaN\./);
  });
});
