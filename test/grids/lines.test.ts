import { describe, it, expect } from 'vitest';
import { lineLayout, forEachLine, applyAlongAxis } from '../../src/grids/lines.js';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major multi-index ↔ flat index, written independently of Grid. */
function flat(shape: number[], idx: number[]): number {
  return idx.reduce((p, i, k) => p * shape[k] + i, 0);
}
function multi(shape: number[], p: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) { idx[k] = p % shape[k]; p = Math.floor(p / shape[k]); }
  return idx;
}

describe('lineLayout / forEachLine', () => {
  const shapes = [[7], [3, 4], [2, 3, 4], [3, 1 + 1, 5, 2]];

  it.each(shapes)('visits every flat index exactly once per axis, along lines of stride Π_{a>k} shape[a] (shape %j…)', (...shape) => {
    for (let k = 0; k < shape.length; k++) {
      const visits = new Int32Array(size(shape));
      let lines = 0;
      forEachLine(shape, k, (base, stride, n) => {
        lines++;
        expect(n).toBe(shape[k]);
        expect(stride).toBe(size(shape.slice(k + 1)));
        expect(multi(shape, base)[k]).toBe(0); // a line starts at index 0 along k
        for (let j = 0; j < n; j++) {
          visits[base + j * stride]++;
          // Moving along the line changes only coordinate k.
          const idx = multi(shape, base); idx[k] = j;
          expect(base + j * stride).toBe(flat(shape, idx));
        }
      });
      expect(lines).toBe(size(shape) / shape[k]);
      expect(lineLayout(shape, k)).toEqual({ stride: size(shape.slice(k + 1)), n: shape[k], count: lines });
      expect(Array.from(visits).every((v) => v === 1)).toBe(true);
    }
  });

  it('rejects an axis outside [0, ndim − 1]', () => {
    expect(() => lineLayout([3, 4], 2)).toThrow(/lineLayout: k must be an axis in \[0, 1\]; got 2/);
    expect(() => forEachLine([3, 4], -1, () => undefined)).toThrow(/k must be an axis in \[0, 1\]; got -1/);
    expect(() => applyAlongAxis(new Float64Array(12), [3, 4], 1.5, () => undefined, new Float64Array(12))).toThrow(/got 1.5/);
  });
});

describe('applyAlongAxis', () => {
  const shape = [3, 4, 5];
  const src = Float64Array.from({ length: size(shape) }, (_, p) => p * 1.5 - 7);

  it('with the identity transform copies the array, on every axis', () => {
    for (let k = 0; k < 3; k++) {
      const out = new Float64Array(src.length);
      applyAlongAxis(src, shape, k, (lineIn, lineOut) => lineOut.set(lineIn), out);
      expect(out).toEqual(src);
    }
  });

  it('with a reversing transform maps u[…, j, …] to u[…, n−1−j, …] along axis k (3-D), lines counted in order', () => {
    for (let k = 0; k < 3; k++) {
      const out = new Float64Array(src.length);
      const seen: number[] = [];
      applyAlongAxis(src, shape, k, (lineIn, lineOut, lineIndex) => {
        seen.push(lineIndex);
        for (let j = 0; j < lineIn.length; j++) lineOut[j] = lineIn[lineIn.length - 1 - j];
      }, out);
      for (let p = 0; p < src.length; p++) {
        const idx = multi(shape, p);
        idx[k] = shape[k] - 1 - idx[k];
        expect(out[p]).toBe(src[flat(shape, idx)]);
      }
      expect(seen).toEqual(Array.from({ length: size(shape) / shape[k] }, (_, i) => i));
    }
  });

  it('may write in place (out === src), since each line is gathered before it is scattered', () => {
    const data = src.slice();
    const reverse = (lineIn: Float64Array, lineOut: Float64Array) => { for (let j = 0; j < lineIn.length; j++) lineOut[j] = lineIn[lineIn.length - 1 - j]; };
    applyAlongAxis(data, shape, 1, reverse, data);
    applyAlongAxis(data, shape, 1, reverse, data); // reversing twice is the identity
    expect(data).toEqual(src);
  });
});
