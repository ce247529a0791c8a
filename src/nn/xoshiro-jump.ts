/**
 * Jumps of the xoshiro128** stream (src/util/random.ts) by any number of steps: one step is linear
 * over GF(2) on the 128 state bits, so d steps are a 128 × 128 bit matrix, built once per d by
 * repeated squaring (about 40 compositions of 128 · 128 · 4 word operations) and applied in 512
 * word operations. The dropout kernel uses it to start a second thread d = 2·(draws before it)
 * words into the stream, so both threads' masks are the single stream's, bit for bit.
 */

/** A linear map on the state: the images of the 128 unit vectors, 4 words each (bit b of word w is vector 32w + b). */
type BitMatrix = Uint32Array;

/** One xoshiro128** step of the state words (the output function is not part of the state). */
function step(s: Uint32Array): void {
  const t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
  s[3] = (s[3] << 11) | (s[3] >>> 21);
}

/** out = A·v (out must not alias v). */
function apply(a: BitMatrix, v: Uint32Array, vOffset: number, out: Uint32Array, outOffset: number): void {
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  for (let w = 0; w < 4; w++) {
    let bits = v[vOffset + w];
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits), j = 4 * (32 * w + b);
      r0 ^= a[j]; r1 ^= a[j + 1]; r2 ^= a[j + 2]; r3 ^= a[j + 3];
      bits &= bits - 1;
    }
  }
  out[outOffset] = r0; out[outOffset + 1] = r1; out[outOffset + 2] = r2; out[outOffset + 3] = r3;
}

/** A∘B (B first). */
function compose(a: BitMatrix, b: BitMatrix): BitMatrix {
  const c = new Uint32Array(512);
  for (let i = 0; i < 128; i++) apply(a, b, 4 * i, c, 4 * i);
  return c;
}

let single: BitMatrix | null = null;
const cache = new Map<number, BitMatrix>();

/** The matrix of `d` steps (cached; a handful of distinct d per network). */
function jumpMatrix(d: number): BitMatrix {
  let m = cache.get(d);
  if (m) return m;
  if (!single) {
    single = new Uint32Array(512);
    const e = new Uint32Array(4);
    for (let i = 0; i < 128; i++) {
      e.fill(0); e[i >>> 5] = 1 << (i & 31);
      step(e);
      single.set(e, 4 * i);
    }
  }
  let result: BitMatrix | null = null, power = single;
  for (let rest = d; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = result ? compose(power, result) : power;
    if (rest > 1) power = compose(power, power);
  }
  m = result ?? identity();
  if (cache.size > 64) cache.clear();
  cache.set(d, m);
  return m;
}

function identity(): BitMatrix {
  const m = new Uint32Array(512);
  for (let i = 0; i < 128; i++) m[4 * i + (i >>> 5)] = 1 << (i & 31);
  return m;
}

/**
 * Writes to `out[outOffset … +3]` the xoshiro128** state `d` steps (32-bit draws) after
 * `state[offset … +3]` (the word order of Rng.getWords).
 * @param d - a non-negative integer
 */
export function xoshiroJump(state: Uint32Array, offset: number, d: number, out: Uint32Array, outOffset: number): void {
  apply(jumpMatrix(d), state, offset, out, outOffset);
}
