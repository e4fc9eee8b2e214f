import { describe, expect, it } from 'vitest';
import { externalLinkTarget, isAppUrl } from '../../../electron/main/windows/app-url.ts';

const prod = { rendererDirUrl: 'file:///opt/gatehouse/out/renderer/' };
const dev = { ...prod, devServerUrl: 'http://localhost:5173' };

describe('isAppUrl', () => {
  it('accepts pages inside the built renderer folder', () => {
    expect(isAppUrl('file:///opt/gatehouse/out/renderer/index.html', prod)).toBe(true);
    expect(isAppUrl('file:///opt/gatehouse/out/renderer/index.html#/servers', prod)).toBe(true);
  });

  it('refuses other files, escapes with .., and foreign schemes', () => {
    expect(isAppUrl('file:///opt/gatehouse/out/renderer-evil/index.html', prod)).toBe(false);
    expect(isAppUrl('file:///opt/gatehouse/out/renderer/../../secrets.html', prod)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', prod)).toBe(false);
    expect(isAppUrl('https://example.com/', prod)).toBe(false);
    expect(isAppUrl('data:text/html,<script>1</script>', prod)).toBe(false);
    expect(isAppUrl('about:blank', prod)).toBe(false);
    expect(isAppUrl(undefined, prod)).toBe(false);
    expect(isAppUrl('not a url', prod)).toBe(false);
  });

  it('accepts the dev server only when one is configured, and only its origin', () => {
    expect(isAppUrl('http://localhost:5173/index.html', prod)).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/index.html', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});

describe('externalLinkTarget', () => {
  it('lets only well-formed https URLs out', () => {
    expect(externalLinkTarget('https://modelcontextprotocol.io/docs')).toBe(
      'https://modelcontextprotocol.io/docs',
    );
    expect(externalLinkTarget('http://example.com/')).toBeUndefined();
    expect(externalLinkTarget('file:///etc/passwd')).toBeUndefined();
    expect(externalLinkTarget('javascript:alert(1)')).toBeUndefined();
    expect(externalLinkTarget('smb://host/share')).toBeUndefined();
    expect(externalLinkTarget('https://')).toBeUndefined();
    expect(externalLinkTarget('not a url')).toBeUndefined();
  });
});
