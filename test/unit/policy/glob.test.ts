import { describe, expect, it } from 'vitest';
import { globMatches, hasGlobChars, isMatchAll } from '../../../electron/main/policy/glob.ts';

describe('globMatches', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything at all', true],
    ['delete_*', 'delete_repo', true],
    ['delete_*', 'delete_', true],
    ['delete_*', 'xdelete_repo', false],
    ['*_repo', 'delete_repo', true],
    ['*_repo', 'delete_repos', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['get_????', 'get_user', true],
    ['get_????', 'get_users', false],
    ['?*', '', false],
    ['?*', 'x', true],
    ['é?', 'éa', true],
    ['?', '😀', true],
    ['a?c', 'a😀c', true],
  ])('%j matches %j: %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it.each([
    ['file.txt', 'file.txt', true],
    ['file.txt', 'fileXtxt', false],
    ['a+', 'aaa', false],
    ['a+', 'a+', true],
    ['f(x)', 'f(x)', true],
    ['f(x)', 'fx', false],
    ['[abc]', 'a', false],
    ['[abc]', '[abc]', true],
    ['a|b', 'a', false],
    ['^start$', '^start$', true],
    ['back\\slash', 'back\\slash', true],
    ['back\\*', 'back\\anything', true],
    ['{a,b}', 'a', false],
    ['.*', 'abc', false],
    ['.*', '.whatever', true],
  ])('treats %j literally (vs %j): %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('is case-sensitive and anchored', () => {
    expect(globMatches('Delete_*', 'delete_repo')).toBe(false);
    expect(globMatches('repo', 'delete_repo')).toBe(false);
    expect(globMatches('delete', 'delete_repo')).toBe(false);
  });

  it('agrees with a reference regex translation on many random cases', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = (alphabet: string, max: number) =>
      Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let i = 0; i < 3000; i += 1) {
      const pattern = pick('ab*?.', 6);
      const name = pick('ab.', 8);
      const source = Array.from(pattern)
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      expect(globMatches(pattern, name), `${pattern} vs ${name}`).toBe(
        new RegExp(`^${source}$`, 'su').test(name),
      );
    }
  });

  it('stays fast on a pathological pattern and a long name', () => {
    const started = performance.now();
    expect(globMatches('*a*a*a*a*a*a*a*a*b', 'a'.repeat(20_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('hasGlobChars / isMatchAll', () => {
  it.each([
    ['github', false, false],
    ['git*', true, false],
    ['git?ub', true, false],
    ['*', true, true],
    ['***', true, true],
    ['*?', true, false],
    ['file.txt', false, false],
  ])('%j: glob %s, match-all %s', (pattern, glob, all) => {
    expect(hasGlobChars(pattern)).toBe(glob);
    expect(isMatchAll(pattern)).toBe(all);
  });
});
