// Seeded RNG throughput: our xoshiro128** normals against Math.random-based Box–Muller (unseeded baseline).
import { Rng } from '../src/util/random.js';
import { runSuite } from './harness.js';

const n = 1_000_000;
const out = new Float64Array(n);
const rng = new Rng(1);
runSuite('1e6 standard normals', [
  { name: 'Math.random Box–Muller (baseline)', units: n, unitName: 'value', run: () => { for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()); return out[0]; } },
  { name: 'Rng.fillNormal (xoshiro128**, polar)', units: n, unitName: 'value', run: () => { rng.fillNormal(out); return out[0]; } },
]);
