// Grids: compiled mathjs expressions against mathjs's own evaluation, sample() throughput, and the
// finite-difference kernels against the brute-force twin of the tests. Inputs are deterministic.
import { evaluate, parse } from 'mathjs';
import { Grid } from '../src/grids/grid.js';
import { compileExpression } from '../src/grids/expression.js';
import { laplacianInto, hessianInto } from '../src/grids/finite-difference.js';
import { bruteAxisDifference, bruteMixedDifference } from '../test/reference/finite-difference.js';
import { runSuite } from './harness.js';

const source = 'x^2 + 1.5*sin(2*pi*x)';
const n = 20_000;
const xs = Float64Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1));
const compiled = compileExpression(source, 1);
const mathjsCompiled = parse(source).compile();
const scope = { x: 0 };
runSuite(`evaluate '${source}' at ${n} points`, [
  { name: 'mathjs evaluate() per point (baseline)', units: n, unitName: 'point', run: () => { let s = 0; for (let i = 0; i < n; i++) s += evaluate(source, { x: xs[i] }) as number; return s; } },
  { name: 'mathjs parse().compile().evaluate(scope)', units: n, unitName: 'point', run: () => { let s = 0; for (let i = 0; i < n; i++) { scope.x = xs[i]; s += mathjsCompiled.evaluate(scope) as number; } return s; } },
  { name: 'compileExpression (ours)', units: n, unitName: 'point', run: () => { let s = 0; for (let i = 0; i < n; i++) s += compiled(xs[i]); return s; } },
  { name: 'hand-written closure', units: n, unitName: 'point', run: () => { let s = 0; for (let i = 0; i < n; i++) { const x = xs[i]; s += x * x + 1.5 * Math.sin(2 * Math.PI * x); } return s; } },
], { reps: 5, maxMs: 4000 });

const grid2 = Grid.uniform([[-2, 2], [-2, 2]], [501, 501]);
const expr2 = 'x^2 + y^2 + sin(3*x)*cos(2*y)';
runSuite(`Grid.sample on 501 × 501 (${grid2.size} points)`, [
  { name: 'hand loop over the axes (baseline)', units: grid2.size, unitName: 'point', run: () => {
    const out = new Float64Array(grid2.size), ax = grid2.axis(0), ay = grid2.axis(1);
    for (let i = 0, p = 0; i < ax.length; i++) for (let j = 0; j < ay.length; j++, p++) out[p] = ax[i] ** 2 + ay[j] ** 2 + Math.sin(3 * ax[i]) * Math.cos(2 * ay[j]);
    return out;
  } },
  { name: 'sample(TS function)', units: grid2.size, unitName: 'point', run: () => grid2.sample((x, y) => x * x + y * y + Math.sin(3 * x) * Math.cos(2 * y)) },
  { name: 'sample(mathjs string), compile included', units: grid2.size, unitName: 'point', run: () => grid2.sample(expr2) },
], { reps: 7 });

const grid3 = Grid.uniform([[0, 1], [0, 1], [0, 1]], [41, 41, 41]);
const u3 = grid3.sample((x, y, z) => Math.sin(x) * Math.cos(y) * Math.exp(z));
const out3 = new Float64Array(grid3.size);
const hess = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => new Float64Array(grid3.size)));
runSuite(`finite differences on 41³ (${grid3.size} points), neumann`, [
  { name: 'brute-force twin: Laplacian (baseline)', units: grid3.size, unitName: 'point', run: () => {
    for (let k = 0; k < 3; k++) bruteAxisDifference(grid3, u3.data, k, { kind: 'neumann' }, 'second');
    return 0;
  } },
  { name: 'laplacianInto', units: grid3.size, unitName: 'point', run: () => { laplacianInto(grid3, u3.data, 'neumann', out3); return out3[0]; } },
  { name: 'brute-force twin: Hessian', units: grid3.size, unitName: 'point', run: () => {
    for (let k = 0; k < 3; k++) { bruteAxisDifference(grid3, u3.data, k, { kind: 'neumann' }, 'second'); for (let l = k + 1; l < 3; l++) bruteMixedDifference(grid3, u3.data, k, l, { kind: 'neumann' }); }
    return 0;
  } },
  { name: 'hessianInto', units: grid3.size, unitName: 'point', run: () => { hessianInto(grid3, u3.data, 'neumann', hess); return hess[0][1][0]; } },
], { reps: 5, maxMs: 4000 });
