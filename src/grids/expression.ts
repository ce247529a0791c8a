/**
 * mathjs expressions compiled to plain JavaScript functions. The expression is parsed once by
 * mathjs, then its tree is translated to a JS source string over `Math.*` and compiled with
 * `new Function` — our one code-generation site (STYLE.md): mathjs's own evaluation in a hot loop
 * is one to three orders of magnitude slower than the compiled closure (bench/grids.bench.ts).
 * Gradients come from `mathjs.derivative` and are compiled the same way.
 *
 * mathjs is loaded on the first compilation, not at import: importing it costs about a second of
 * CPU, which every program (and every test file) that uses a Grid would otherwise pay even when it
 * never parses an expression. We load the numbers-only build `mathjs/number` (the same parser and
 * derivative, no matrices/units/BigNumbers), about half the import time of the full build.
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs/number';
import { mustBe, mustBeInteger, mustBeType } from '../util/validate.js';

/** A compiled scalar function of the coordinates. */
export type CompiledFunction = (...x: number[]) => number;

/** Variable names by dimension: x (1-D), x, y (2-D), x, y, z (3-D); x0…x{n−1} always work. */
export function variableNames(ndim: number): string[] {
  if (ndim <= 3) return ['x', 'y', 'z'].slice(0, ndim);
  return Array.from({ length: ndim }, (_, k) => `x${k}`);
}

const UNARY_FUNCTIONS: Record<string, string> = {
  sin: 'Math.sin', cos: 'Math.cos', tan: 'Math.tan', asin: 'Math.asin', acos: 'Math.acos', atan: 'Math.atan',
  sinh: 'Math.sinh', cosh: 'Math.cosh', tanh: 'Math.tanh', asinh: 'Math.asinh', acosh: 'Math.acosh', atanh: 'Math.atanh',
  exp: 'Math.exp', expm1: 'Math.expm1', log1p: 'Math.log1p', log2: 'Math.log2', log10: 'Math.log10',
  sqrt: 'Math.sqrt', cbrt: 'Math.cbrt', abs: 'Math.abs', sign: 'Math.sign', floor: 'Math.floor', ceil: 'Math.ceil',
  fix: 'Math.trunc', sec: '1/Math.cos', csc: '1/Math.sin', cot: '1/Math.tan',
};
const VARIADIC_FUNCTIONS: Record<string, string> = { max: 'Math.max', min: 'Math.min', hypot: 'Math.hypot' };
const CONSTANTS: Record<string, string> = { pi: 'Math.PI', PI: 'Math.PI', e: 'Math.E', E: 'Math.E', tau: '(2*Math.PI)' };
const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '<', '>', '<=', '>=', '==', '!=']);

/** What a translation needs: the public function (for messages), the source text and the variables. */
interface TranslationContext { fn: string; source: string; vars: ReadonlyMap<string, number> }

function toJs(node: MathNode, ctx: TranslationContext): string {
  const { fn, source, vars } = ctx;
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = Number(n.value);
      if (!Number.isFinite(v)) throw new RangeError(`${fn}: unsupported constant ${String(n.value)} in "${source}".`);
      return `(${v})`;
    }
    case 'SymbolNode': {
      const name = n.name as string;
      if (vars.has(name)) return `v${vars.get(name)}`;
      if (name in CONSTANTS) return CONSTANTS[name];
      throw new RangeError(`${fn}: unknown variable "${name}" in "${source}"; allowed: ${[...vars.keys()].join(', ')} and constants pi, e, tau.`);
    }
    case 'ParenthesisNode':
      return `(${toJs(n.content as MathNode, ctx)})`;
    case 'ConditionalNode':
      return `((${toJs(n.condition as MathNode, ctx)}) ? (${toJs(n.trueExpr as MathNode, ctx)}) : (${toJs(n.falseExpr as MathNode, ctx)}))`;
    case 'OperatorNode': {
      const op = n.op as string, args = (n.args as MathNode[]).map((a) => toJs(a, ctx));
      if (args.length === 1) {
        if (op === '-') return `(-${args[0]})`;
        if (op === '+') return `(+${args[0]})`;
      }
      if (args.length === 2) {
        if (op === '^' || op === '.^') return `Math.pow(${args[0]}, ${args[1]})`;
        if (op === '.*') return `(${args[0]} * ${args[1]})`;
        if (op === './') return `(${args[0]} / ${args[1]})`;
        if (op === 'mod' || op === '%') return `(((${args[0]} % ${args[1]}) + ${args[1]}) % ${args[1]})`;
        if (BINARY_OPERATORS.has(op)) {
          const jsOp = op === '==' ? '===' : op === '!=' ? '!==' : op;
          const expr = `(${args[0]} ${jsOp} ${args[1]})`;
          return /[<>=!]/.test(jsOp) ? `(${expr} ? 1 : 0)` : expr;
        }
      }
      if (args.length > 2 && (op === '+' || op === '*')) return `(${args.join(` ${op} `)})`;
      throw new RangeError(`${fn}: unsupported operator "${op}" in "${source}".`);
    }
    case 'FunctionNode': {
      const name = ((n.fn as { name?: string }).name ?? '') as string;
      const args = (n.args as MathNode[]).map((a) => toJs(a, ctx));
      if (name in UNARY_FUNCTIONS && args.length === 1) return `${UNARY_FUNCTIONS[name]}(${args[0]})`;
      if (name in VARIADIC_FUNCTIONS && args.length >= 1) return `${VARIADIC_FUNCTIONS[name]}(${args.join(', ')})`;
      if (name === 'log' && args.length === 1) return `Math.log(${args[0]})`;
      if (name === 'log' && args.length === 2) return `(Math.log(${args[0]}) / Math.log(${args[1]}))`;
      if (name === 'pow' && args.length === 2) return `Math.pow(${args[0]}, ${args[1]})`;
      if (name === 'square' && args.length === 1) return `Math.pow(${args[0]}, 2)`;
      if (name === 'cube' && args.length === 1) return `Math.pow(${args[0]}, 3)`;
      if (name === 'nthRoot' && args.length === 2) return `(Math.sign(${args[0]}) * Math.pow(Math.abs(${args[0]}), 1 / ${args[1]}))`;
      // mathjs rounds halves away from zero (round(−2.5) = −3); Math.round rounds them up (−2).
      if (name === 'round' && args.length === 1) return `(Math.sign(${args[0]}) * Math.round(Math.abs(${args[0]})))`;
      if (name === 'heaviside' && args.length === 1) return `((${args[0]}) >= 0 ? 1 : 0)`;
      throw new RangeError(`${fn}: unknown function "${name}" with ${args.length} argument(s) in "${source}"; allowed: ${[...Object.keys(UNARY_FUNCTIONS), 'round', 'log', 'pow', 'square', 'cube', 'nthRoot', 'heaviside', ...Object.keys(VARIADIC_FUNCTIONS)].join(', ')}.`);
    }
    default:
      throw new RangeError(`${fn}: unsupported syntax (${node.type}) in "${source}".`);
  }
}

type MathJs = typeof import('mathjs/number');
const requireModule = createRequire(import.meta.url);
/** The loaded mathjs module: a load-once cache, the module system's own state, not ours. */
let mathjs: MathJs | null = null;
function loadMathJs(): MathJs {
  mathjs ??= requireModule('mathjs/number') as MathJs;
  return mathjs;
}

function parseOrThrow(fn: string, source: string): MathNode {
  mustBeType(fn, 'expression', source, typeof source === 'string', 'a mathjs expression string');
  mustBe(fn, 'expression', source, source.trim().length > 0, 'a non-empty mathjs expression string');
  try {
    return loadMathJs().parse(source);
  } catch (err) {
    throw new RangeError(`${fn}: could not parse "${source}": ${(err as Error).message}.`);
  }
}

function compileNode(fn: string, node: MathNode, vars: readonly string[], source: string): CompiledFunction {
  const index = new Map<string, number>();
  vars.forEach((name, k) => index.set(name, k));
  // x0…x{n−1} are accepted in every dimension, as aliases of the positional arguments.
  vars.forEach((_, k) => { if (!index.has(`x${k}`)) index.set(`x${k}`, k); });
  const body = toJs(node, { fn, source, vars: index });
  const params = vars.map((_, k) => `v${k}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one sanctioned codegen site
  return new Function(...params, `"use strict"; return ${body};`) as CompiledFunction;
}

/**
 * Compiles a mathjs expression in `ndim` variables (x; x, y; x, y, z; or x0…) to a JS function
 * computing the same real number as mathjs, with two documented differences: comparisons
 * (`<`, `==`, …) are exact IEEE comparisons returning 1 or 0 (mathjs treats values within a relative
 * 1e-12 as equal), and `heaviside` (H(0) = 1) is available.
 * @param ndim - number of variables, an integer ≥ 1
 * @throws RangeError for a syntax error (with mathjs's message and character position), an unknown
 *   variable, an unsupported function or a bad `ndim`; TypeError if `source` is not a string
 * @example compileExpression('x^2 + 1.5*sin(2*pi*x)', 1)(0.25) // 1.5625
 */
export function compileExpression(source: string, ndim: number): CompiledFunction {
  mustBeInteger('compileExpression', 'ndim', ndim, 1);
  const node = parseOrThrow('compileExpression', source);
  return compileNode('compileExpression', node, variableNames(ndim), source);
}

/**
 * Compiles the symbolic gradient of a mathjs expression: one compiled partial derivative per
 * variable, differentiated by `mathjs.derivative`.
 * @returns `grad(x, out)` writing ∂f/∂x_k into `out[k]` (no allocation) and returning `out`
 * @throws RangeError as {@link compileExpression}, or if mathjs cannot differentiate the expression
 */
export function compileGradient(source: string, ndim: number): (x: ArrayLike<number>, out: Float64Array | number[]) => Float64Array | number[] {
  mustBeInteger('compileGradient', 'ndim', ndim, 1);
  const node = parseOrThrow('compileGradient', source);
  const vars = variableNames(ndim);
  compileNode('compileGradient', node, vars, source); // validates variables and functions before differentiating
  const partials = vars.map((name) => {
    let d: MathNode;
    try {
      d = loadMathJs().derivative(node, name, { simplify: true });
    } catch (err) {
      throw new RangeError(`compileGradient: mathjs cannot differentiate "${source}" in ${name}: ${(err as Error).message}.`);
    }
    return compileNode('compileGradient', d, vars, `d(${source})/d${name}`);
  });
  const args = new Array<number>(ndim);
  return (x, out) => {
    for (let k = 0; k < ndim; k++) args[k] = x[k];
    for (let k = 0; k < ndim; k++) out[k] = partials[k](...args);
    return out;
  };
}
