import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { formatReport, regularityReport } from '../../../src/pde/regularity/report.js';

describe('regularityReport', () => {
  const f = Grid.uniform([[-3, 3]], [201]).sample('x^2 + 1.5*sin(2*pi*x)');

  it('runs every 1-D check; every row the theory guarantees passes and the predicted failures fail', () => {
    const rows = regularityReport(f, { t: 0.2, beta: 1 });
    const names = rows.map((r) => `${r.solver}:${r.name}`);
    for (const name of ['hopf-lax:below-initial', 'hopf-lax:monotone-in-time', 'hopf-lax:minima-preserved', 'hopf-lax:semiconcavity',
      'hopf-lax:lipschitz', 'hopf-lax:comparison', 'hopf-lax:local-minima-removed', 'hopf-lax:hessian-spectrum-hopf-lax',
      'cole-hopf:below-initial', 'cole-hopf:jensen-heat-bound', 'cole-hopf:semiconcavity', 'cole-hopf:hessian-spectrum-viscous',
      'cole-hopf:vanishing-viscosity', 'finite-difference:local-entropy-pde']) expect(names).toContain(name);
    for (const r of rows) if (r.expected === 'pass') expect([r.name, r.solver, r.pass]).toEqual([r.name, r.solver, true]);
    for (const r of rows) if (r.expected === 'fail') expect([r.name, r.pass]).toEqual([r.name, false]);
  });

  it('β = Infinity gives the Hopf–Lax rows only', () => {
    const rows = regularityReport(f, { t: 0.2, beta: Infinity });
    expect(rows.every((r) => r.solver === 'hopf-lax')).toBe(true);
    expect(rows.length).toBe(8);
  });

  it('formats Markdown and plain tables with one line per row, FAIL marked with what the theory expects', () => {
    const rows = regularityReport(f, { t: 0.2, beta: 1, pde: false });
    const md = formatReport(rows);
    expect(md.split('\n')).toHaveLength(rows.length + 2);
    expect(md.split('\n')[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(md).toMatch(/\| below-initial \| cole-hopf \| .* \| FAIL \(expected\) \|/);
    expect(md).toContain('sup\\|∇u(·,t)\\|'); // pipes inside cells are escaped
    const plain = formatReport(rows, { format: 'plain', digits: 3 });
    expect(plain.split('\n')[0]).toMatch(/^check\s+solver\s+claim\s+measured\s+bound\s+tolerance\s+verdict\s+worst at$/);
  });

  it('rejects missing t or β and bad formats', () => {
    expect(() => regularityReport(f, { t: 0.2 } as never)).toThrow(/regularityReport: beta must be > 0 \(Infinity for the non-viscous limit\); got undefined\./);
    expect(() => regularityReport(f, { beta: 1 } as never)).toThrow(/regularityReport: t must be finite and > 0; got undefined\./);
    expect(() => regularityReport(f, undefined as never)).toThrow(/regularityReport: options must be an options object/);
    expect(() => regularityReport('x^2' as never, { t: 1, beta: 1 })).toThrow(TypeError);
    expect(() => formatReport([], { format: 'html' as never })).toThrow(/formatReport: format must be 'markdown' \| 'plain'; got "html"\./);
  });
});
