// Explicit stages of the monotone Hamilton–Jacobi schemes in f64x2 SIMD: the WebAssembly twins of the
// JS kernels of src/pde/numerical-hamiltonian.ts (Godunov and quadratic Lax–Friedrichs, 1-D to 3-D),
// on the same padded layout (src/pde/padded-grid.ts: one ghost layer per real axis, halo filled by
// the caller). A stage computes, at every grid point,
//   out = b·(v + dt·(ν Σ_k D²_k v − Ĥ(D⁻v, D⁺v))) [+ a·w]
// and returns the finite check (0, or NaN when an output is not finite); it writes max |D⁻_k v| per
// 3-D view axis into the slopes block (the adaptive time step's measurement, fused into the pass).
//
// Bit-identity with the JS kernels: every output is the same sequence of IEEE operations on the same
// operands, lane by lane (f64x2 add/sub/mul/abs are exact per lane). The JS ternaries
// `x > m ? x : m` are f64x2.pmax(m, x) (pmax(a, b) = a < b ? b : a), NaN and ±0 included, so the
// running slope maxima select what the JS kernel selects. Godunov's upwind magnitude
// g = max(p⁻, −p⁺, 0) takes −p⁺ as 0 − p⁺, which differs from the JS negation only for p⁺ = 0 (+0
// instead of −0) and for NaN signs: g is only ever squared, so g² is the same.
//
// Layout of the loops: one row of the contiguous axis at a time, two cells per vector. Along that
// axis D⁺ at cells (i, i+1) is D⁻ at (i+1, i+2): the high lane of this pair's D⁻ and the low lane of
// the next pair's, one shuffle instead of two loads and a difference (the last pair of a row reads
// two values past it, one of them unused: in 1-D the buffer needs a spare value after the halo). A
// row runs as segments of whole pairs: its even part, then for an odd length the pair (n₂ − 2, n₂ − 1)
// again (same outputs, since `out` aliases neither input; the maxima and the check are unchanged), so
// every axis needs n ≥ 2 points. The flags (dimension, ν ≠ 0, a ≠ 0, b = 1, local α) are constants in
// each specialised loop; with ν = 0 the diffusion terms are left out, as the JS kernels do.
//
// The ghosts at both ends of each row (the contiguous axis) are written by the row pass itself, by
// the rule of src/grids/boundary.ts (lineValue, the same operations), when the parameter block names
// one: filled by the caller, these ghosts cost a cache miss per row end. The caller fills the others.
//
// Pointers are byte offsets in the imported memory: pv, pw, pout point at grid point (0, 0, 0) of
// the padded buffers; s0, s1 are the padded strides (elements) of axes 0 and 1. The float64 parameter
// block P holds these and the stage's constants (offsets below), written by src/pde/hj-step-wasm.ts.

const IH0: usize = 0;   // 1/h_k per 3-D view axis
const IH1: usize = 8;
const IH2: usize = 16;
const E0: usize = 24;   // e_k = b·dt·ν/h_k: b·dt·ν D²_k v = e_k (D⁺_k v − D⁻_k v)
const E1: usize = 32;
const E2: usize = 40;
const B: usize = 48;    // b
const HBDT: usize = 56; // ½·b·dt
const A: usize = 64;    // a (0: no a·w term, w not read)
const AL0: usize = 72;  // global Lax–Friedrichs α_k
const AL1: usize = 80;
const AL2: usize = 88;
const NU: usize = 96;   // ν (0: the diffusion terms are left out)
const BC: usize = 104;  // rule for the ghosts at both ends of each row (0: the caller filled them)
const BCV: usize = 112; // the Dirichlet value
const PV: usize = 120;  // geometry, as float64: pv, pw, pout, n0, n1, n2, s0, s1, pS
const PW: usize = 128;
const POUT: usize = 136;
const N0: usize = 144;
const N1: usize = 152;
const N2: usize = 160;
const SS0: usize = 168;
const SS1: usize = 176;
const PS: usize = 184;
const NEUMANN = 1, PERIODIC = 2, DIRICHLET = 3; // else extrapolate (src/grids/boundary.ts lineValue)
const GODUNOV = 0, LF = 1;

@inline function param(P: usize, offset: usize): v128 { return f64x2.splat(load<f64>(P + offset)); }
@inline function ld(p: usize): v128 { return v128.load(p); }
/** (hi − lo)·ih: a one-sided difference. */
@inline function diff(hi: v128, lo: v128, ih: v128): v128 { return f64x2.mul(f64x2.sub(hi, lo), ih); }
/** JS `if (x > m) m = x`. */
@inline function maxOf(m: v128, x: v128): v128 { return f64x2.pmax(m, x); }
/** The JS `g = p⁻ > −p⁺ ? p⁻ : −p⁺; if (g < 0) g = 0`, squared. */
@inline function upwindSq(pm: v128, pp: v128, zero: v128): v128 {
  const g = f64x2.pmax(f64x2.pmax(f64x2.sub(zero, pp), pm), zero);
  return f64x2.mul(g, g);
}
/** D⁺ of a pair from its D⁻ and the next pair's: lanes (1, 2) of the concatenation. */
@inline function shifted(pm: v128, pmNext: v128): v128 { return v128.shuffle<f64>(pm, pmNext, 1, 2); }
/** check + (value − value): 0 stays 0 for finite values, NaN is sticky. */
@inline function finite(check: v128, value: v128): v128 { return f64x2.add(check, f64x2.sub(value, value)); }
@inline function lanesMax(m: v128): f64 { const x = f64x2.extract_lane(m, 0), y = f64x2.extract_lane(m, 1); return x < y ? y : x; }
@inline function lanesSum(c: v128): f64 { return f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1); }

/** Quadratic Lax–Friedrichs, one axis (JS laxFriedrichsAxis): value [+ e(p⁺ − p⁻)] − ½b·dt·(¼(p⁻ + p⁺)² − α(p⁺ − p⁻)). */
@inline function lfAxis(value: v128, pm: v128, pp: v128, e: v128, h: v128, alpha: v128, local: bool, visc: bool): v128 {
  const d = f64x2.sub(pp, pm), mean = f64x2.add(pm, pp);
  const al = local ? maxOf(f64x2.abs(pp), f64x2.abs(pm)) : alpha;
  const sum = visc ? f64x2.add(value, f64x2.mul(e, d)) : value;
  return f64x2.sub(sum, f64x2.mul(h, f64x2.sub(f64x2.mul(f64x2.mul(f64x2.splat(0.25), mean), mean), f64x2.mul(al, d))));
}

/** Ghosts u[−1] and u[n] of the row whose points 0 and n − 2 are at `row` and `last` (lineValue's rules). */
@inline function rowGhosts(row: usize, last: usize, bc: i32, value: f64): void {
  const first = load<f64>(row), second = load<f64>(row + 8), beforeEnd = load<f64>(last), end = load<f64>(last + 8);
  let left = value, right = value;
  if (bc == NEUMANN) { left = first; right = end; }
  else if (bc == PERIODIC) { left = beforeEnd; right = second; }
  else if (bc != DIRICHLET) { left = first + (first - second); right = end + (end - beforeEnd); } // e + 1·(e − inner)
  store<f64>(row - 8, left);
  store<f64>(last + 16, right);
}

// One loop specialised to (scheme, dims, local, visc, withW). Godunov (JS godunov1d/2d/3d):
//   value = b·c [+ e₂(p⁺₂ − p⁻₂) + e₁(p⁺₁ − p⁻₁) + e₀(p⁺₀ − p⁻₀)] − ½b·dt·(g₂² + g₁² + g₀²) [+ a·w].
// Lax–Friedrichs (JS laxFriedrichsAxis, its one pass per axis fused with the same operation order,
// first real axis first): value = b·c, then value = lfAxis(value, axis k) for each axis, [+ a·w].
@inline function stage(scheme: i32, dims: i32, local: bool, visc: bool, withW: bool, unit: bool, P: usize): f64 {
  const pv = <usize>load<f64>(P + PV), pw = <usize>load<f64>(P + PW), pout = <usize>load<f64>(P + POUT), pS = <usize>load<f64>(P + PS);
  const n0 = <i32>load<f64>(P + N0), n1 = <i32>load<f64>(P + N1), n2 = <i32>load<f64>(P + N2);
  const s0 = <i32>load<f64>(P + SS0), s1 = <i32>load<f64>(P + SS1);
  const S0 = <usize>s0 << 3, S = <usize>s1 << 3, dOut = pout - pv, dW = pw - pv, span = <usize>(n2 - 2) << 3; // last pair
  const ih0 = param(P, IH0), ih1 = param(P, IH1), ih2 = param(P, IH2);
  const e0 = param(P, E0), e1 = param(P, E1), e2 = param(P, E2);
  const al0 = param(P, AL0), al1 = param(P, AL1), al2 = param(P, AL2);
  const b = param(P, B), h = param(P, HBDT), a = param(P, A), zero = f64x2.splat(0);
  const bc = <i32>load<f64>(P + BC), bcValue = load<f64>(P + BCV);
  let m0 = zero, m1 = zero, m2 = zero, check = zero;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const row = pv + <usize>i0 * S0 + <usize>i1 * S, last = row + span;
      if (bc != 0) rowGhosts(row, last, bc, bcValue);
      // Segments of whole pairs: the row's even part, then for an odd row the last pair once more.
      let p = row, end = row + (<usize>(n2 & ~1) << 3);
      while (true) {
        let c = ld(p), pm = diff(c, ld(p - 8), ih2);
        do {
          const cNext = ld(p + 16), pmNext = diff(cNext, ld(p + 8), ih2), pp = shifted(pm, pmNext);
          m2 = maxOf(m2, f64x2.abs(pm));
          let value = unit ? c : f64x2.mul(b, c); // 1·c = c exactly
          if (scheme == GODUNOV) {
            let ham = upwindSq(pm, pp, zero);
            if (visc) value = f64x2.add(value, f64x2.mul(e2, f64x2.sub(pp, pm)));
            if (dims >= 2) {
              const q = diff(c, ld(p - S), ih1), qp = diff(ld(p + S), c, ih1);
              m1 = maxOf(m1, f64x2.abs(q));
              if (visc) value = f64x2.add(value, f64x2.mul(e1, f64x2.sub(qp, q)));
              ham = f64x2.add(ham, upwindSq(q, qp, zero));
            }
            if (dims == 3) {
              const o = diff(c, ld(p - S0), ih0), op = diff(ld(p + S0), c, ih0);
              m0 = maxOf(m0, f64x2.abs(o));
              if (visc) value = f64x2.add(value, f64x2.mul(e0, f64x2.sub(op, o)));
              ham = f64x2.add(ham, upwindSq(o, op, zero));
            }
            value = f64x2.sub(value, f64x2.mul(h, ham));
          } else {
            if (dims == 3) {
              const o = diff(c, ld(p - S0), ih0), op = diff(ld(p + S0), c, ih0);
              m0 = maxOf(m0, f64x2.abs(o));
              value = lfAxis(value, o, op, e0, h, al0, local, visc);
            }
            if (dims >= 2) {
              const q = diff(c, ld(p - S), ih1), qp = diff(ld(p + S), c, ih1);
              m1 = maxOf(m1, f64x2.abs(q));
              value = lfAxis(value, q, qp, e1, h, al1, local, visc);
            }
            value = lfAxis(value, pm, pp, e2, h, al2, local, visc);
          }
          if (withW) value = f64x2.add(value, f64x2.mul(a, ld(p + dW)));
          v128.store(p + dOut, value);
          check = finite(check, value);
          c = cNext;
          pm = pmNext;
          p += 16;
        } while (p < end);
        if (p > last + 8) break; // at the row's end (p = last + 16)
        end = last + 16;         // odd row (p = last + 8): the pair (n₂ − 2, n₂ − 1), its D⁻ from scratch
        p = last;
      }
    }
  }
  store<f64>(pS, lanesMax(m0));
  store<f64>(pS, lanesMax(m1), 8);
  store<f64>(pS, lanesMax(m2), 16);
  return lanesSum(check);
}

// b = 1 (forward Euler, the first SSP-RK2 stage) has no a·w term: three loops cover the cases.
@inline function byW(scheme: i32, dims: i32, local: bool, visc: bool, P: usize): f64 {
  const withW = load<f64>(P + A) != 0, unit = !withW && load<f64>(P + B) == 1;
  if (withW) return stage(scheme, dims, local, visc, true, false, P);
  return unit ? stage(scheme, dims, local, visc, false, true, P) : stage(scheme, dims, local, visc, false, false, P);
}

// One wasm function per (scheme, dimension, local α, ν ≠ 0), so that V8 compiles to optimised code
// only the ones a solve runs, each in a few ms (one function holding every variant took ≈ 0.1–0.2 s,
// during which the first calls ran in the baseline compiler, 5–10× slower).
function g1(P: usize): f64 { return byW(GODUNOV, 1, false, false, P); }
function g1v(P: usize): f64 { return byW(GODUNOV, 1, false, true, P); }
function g2(P: usize): f64 { return byW(GODUNOV, 2, false, false, P); }
function g2v(P: usize): f64 { return byW(GODUNOV, 2, false, true, P); }
function g3(P: usize): f64 { return byW(GODUNOV, 3, false, false, P); }
function g3v(P: usize): f64 { return byW(GODUNOV, 3, false, true, P); }
function lf1(P: usize): f64 { return byW(LF, 1, false, false, P); }
function lf1v(P: usize): f64 { return byW(LF, 1, false, true, P); }
function lf2(P: usize): f64 { return byW(LF, 2, false, false, P); }
function lf2v(P: usize): f64 { return byW(LF, 2, false, true, P); }
function lf3(P: usize): f64 { return byW(LF, 3, false, false, P); }
function lf3v(P: usize): f64 { return byW(LF, 3, false, true, P); }
function lfl1(P: usize): f64 { return byW(LF, 1, true, false, P); }
function lfl1v(P: usize): f64 { return byW(LF, 1, true, true, P); }
function lfl2(P: usize): f64 { return byW(LF, 2, true, false, P); }
function lfl2v(P: usize): f64 { return byW(LF, 2, true, true, P); }
function lfl3(P: usize): f64 { return byW(LF, 3, true, false, P); }
function lfl3v(P: usize): f64 { return byW(LF, 3, true, true, P); }

/**
 * Godunov stage for H = ½|p|², ndim = 1, 2 or 3 (axes of length 1 in front for ndim < 3), on the
 * geometry and constants of the parameter block P. Returns 0, or NaN if an output is not finite;
 * slopes (3 float64) at the block's pS.
 */
export function godunov(ndim: i32, P: usize): f64 {
  const visc = load<f64>(P + NU) != 0;
  if (ndim == 1) return visc ? g1v(P) : g1(P);
  if (ndim == 2) return visc ? g2v(P) : g2(P);
  return visc ? g3v(P) : g3(P);
}

/**
 * Lax–Friedrichs stage for H = ½|p|², global (α_k from P) or local (α_k = max(|p⁻_k|, |p⁺_k|) per
 * cell) dissipation. Returns 0, or NaN if an output is not finite; slopes (3 float64) at the block's pS.
 */
export function laxFriedrichs(ndim: i32, local: i32, P: usize): f64 {
  const visc = load<f64>(P + NU) != 0;
  if (local != 0) {
    if (ndim == 1) return visc ? lfl1v(P) : lfl1(P);
    if (ndim == 2) return visc ? lfl2v(P) : lfl2(P);
    return visc ? lfl3v(P) : lfl3(P);
  }
  if (ndim == 1) return visc ? lf1v(P) : lf1(P);
  if (ndim == 2) return visc ? lf2v(P) : lf2(P);
  return visc ? lf3v(P) : lf3(P);
}
