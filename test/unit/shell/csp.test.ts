import { describe, expect, it } from 'vitest';
import { buildCsp, cspForMeta } from '../../../electron/main/windows/csp.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('buildCsp', () => {
  it('never allows unsafe-eval, in production or dev', () => {
    expect(buildCsp({ dev: false })).not.toContain('unsafe-eval');
    expect(buildCsp({ dev: true, connectSrc: ['ws://localhost:5173'] })).not.toContain('unsafe-eval');
  });

  it("locks production pages to 'self' with no inline script or style", () => {
    const csp = directives(buildCsp({ dev: false }));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(buildCsp({ dev: false })).not.toContain('unsafe-inline');
  });

  it('adds only what dev needs: inline preamble and styles, and the extra connect sources', () => {
    const csp = directives(buildCsp({ dev: true, connectSrc: ['ws://localhost:5173', "'self'"] }));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it('drops header-only directives for the <meta> tag', () => {
    const meta = cspForMeta(buildCsp({ dev: false }));
    expect(meta).not.toContain('frame-ancestors');
    expect(directives(meta).get('default-src')).toEqual(["'self'"]);
    expect(directives(meta).get('script-src')).toEqual(["'self'"]);
  });
});
