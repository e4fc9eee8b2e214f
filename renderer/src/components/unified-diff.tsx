import { unifiedDiffLines } from '../lib/diff-lines.ts';

/** A unified diff as text lines, each marked added / removed / context by class (and a +/- prefix). */
export function UnifiedDiff(props: { diff: string; label: string }) {
  const lines = unifiedDiffLines(props.diff);
  if (lines.length === 0) return <p className="muted">Nothing would change.</p>;
  return (
    <pre className="code diff" aria-label={props.label} tabIndex={0}>
      {lines.map((line, index) => (
        <span key={index} className={`diff-${line.kind}`}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
