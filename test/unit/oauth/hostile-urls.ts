/**
 * Hostile URL values from mcp-protocol-notes.md §4.4 and performance-and-reliability.md §6.3 B1, shared
 * by the url-safety and browser-opener tests. None of them may reach an OS opener.
 */
export const HOSTILE_OPENER_URLS: readonly (readonly [name: string, url: string])[] = [
  // Schemes other than http(s) (§4.4).
  ['file: URL', 'file:///etc/passwd'],
  ['file: URL to an executable', 'file:///C:/Windows/System32/calc.exe'],
  ['javascript:', 'javascript:alert(1)'],
  ['javascript: mixed case', 'JavaScript:alert(document.domain)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['vbscript:', 'vbscript:msgbox(1)'],
  ['ms-msdt: (Follina)', 'ms-msdt:/id%20PCWDiagnostic'],
  ['search-ms:', 'search-ms:query=calc'],
  ['custom scheme', 'myapp://callback?code=1'],
  ['ssh:', 'ssh://attacker.example/'],
  ['mailto:', 'mailto:a@example.com'],
  // Not URLs at all: would be a program, a file or an option to the opener (B1).
  ['bare program name', 'calc.exe'],
  ['Windows path', 'C:\\Windows\\System32\\calc.exe'],
  ['git option injection', '--upload-pack=touch /tmp/pwned'],
  ['option injection without spaces', '--upload-pack=calc'],
  ['UNC path', '\\\\attacker\\share'],
  ['UNC path with forward slashes', '//attacker/share'],
  // Shell syntax inside an https URL (CVE-2025-6514 payloads, B1).
  ['command substitution', 'https://a.com/$(calc)'],
  ['backticks', 'https://a.com/`whoami`'],
  ['PowerShell break-out', 'https://a.com/"; Start-Process calc; "'],
  ['PowerShell break-out without spaces', 'https://a.com/";Start-Process(calc);"'],
  ['ampersand in the path', 'https://a.com/a&calc'],
  ['pipe', 'https://a.com/a|calc'],
  ['semicolon', 'https://a.com/a;calc'],
  ['redirection <', 'https://a.com/a<in'],
  ['redirection >', 'https://a.com/a>out'],
  ['single quote', "https://a.com/it's"],
  ['backslash', 'https://a.com\\evil'],
  ['metacharacter in a query value', 'https://a.com/?q=$(calc)'],
  ['backticks in a query value', 'https://a.com/?q=`id`'],
  ['pipe after a query value', 'https://a.com/?a=1|calc'],
  ['semicolon after a query value', 'https://a.com/?a=1;calc'],
  ['quote in a query value', "https://a.com/?q='x'"],
  // The same, percent-encoded (checked after decoding).
  ['encoded $()', 'https://a.com/%24(calc)'],
  ['encoded backticks', 'https://a.com/%60whoami%60'],
  ['encoded LF', 'https://a.com/x%0acalc'],
  ['encoded CR', 'https://a.com/x%0Dcalc'],
  ['encoded NUL', 'https://a.com/x%00'],
  ['encoded quote', 'https://a.com/?q=%22'],
  ['encoded & inside a query value', 'https://a.com/?q=%26calc'],
  ['double-encoded $', 'https://a.com/?q=%2524(calc)'],
  ['encoded ten times', `https://a.com/?q=${encodeTimes('$', 10)}`],
  // Controls, whitespace and invisible characters that URL parsing would silently drop or hide.
  ['raw LF', 'https://a.com/\ncalc'],
  ['raw tab', 'https://a.com/\tx'],
  ['raw CR LF in the host', 'https://a.\r\ncom/'],
  ['leading space', ' https://a.com/'],
  ['trailing space', 'https://a.com/ '],
  ['inner space', 'https://a.com/a b'],
  ['no-break space', 'https://a.com/\u00a0'],
  ['right-to-left override', 'https://a.com/\u202ecod.exe'],
  ['zero-width space', 'https://a.com/\u200b'],
  ['C1 control (NEL)', 'https://a.com/\u0085'],
  ['DEL', 'https://a.com/\u007f'],
  // Other structural problems.
  ['credentials', 'https://user:pass@a.com/'],
  ['username only', 'https://a.com@evil.example/'],
  ['fragment', 'https://a.com/authorize#x'],
  ['empty fragment', 'https://a.com/authorize#'],
  ['empty string', ''],
  ['10 KB URL', `https://a.com/${'a'.repeat(10_240)}`],
  ['4097 characters', `https://a.com/${'a'.repeat(4097 - 'https://a.com/'.length)}`],
];

/** Percent-encodes `text` `times` times. */
export function encodeTimes(text: string, times: number): string {
  let result = text;
  for (let round = 0; round < times; round += 1) result = encodeURIComponent(result);
  return result;
}

/** A realistic OAuth 2.1 authorization URL (PKCE, RFC 8707 resource, loopback redirect). */
export function realAuthorizationUrl(endpoint = 'https://auth.example.com/authorize'): string {
  const url = new URL(endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', 'https://gatehouse.example/client.json');
  url.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('redirect_uri', 'http://127.0.0.1:53682/oauth/callback');
  url.searchParams.set('state', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  url.searchParams.set('scope', 'files:read files:write offline_access');
  url.searchParams.set('resource', 'https://mcp.example.com/mcp');
  return url.href;
}
