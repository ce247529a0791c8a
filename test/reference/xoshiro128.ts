/**
 * Reference xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c) in BigInt
 * arithmetic modulo 2^32, written from the C source independently of src/util/random.ts.
 */
const MASK = 0xffffffffn;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & MASK;

export function* xoshiro128ss(state: readonly number[]): Generator<number> {
  const s = state.map(BigInt);
  for (;;) {
    const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s[1] << 9n) & MASK;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    yield Number(result);
  }
}
