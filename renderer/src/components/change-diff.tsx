import type { DiffEntry } from '../../../shared/schemas/changes.ts';
import { diffEntryViews } from '../lib/diff-lines.ts';

/**
 * A tool change's readable diff: per path, removed text struck through and added text marked. The
 * markers are also spelled out for screen readers ("removed:", "added:"). Text only, never HTML.
 */
export function ChangeDiff(props: { entries: DiffEntry[]; label: string }) {
  const views = diffEntryViews(props.entries);
  if (views.length === 0) return null;
  return (
    <div className="change-diff" role="group" aria-label={props.label}>
      {views.map((view, index) => (
        <div key={index} className="diff-entry">
          <div className="diff-path">
            <code>{view.path}</code> <span className="muted">{view.label}</span>
          </div>
          <pre className="code diff-words">
            {view.segments.map((segment, i) =>
              segment.op === 'same' ? (
                <span key={i}>{segment.text}</span>
              ) : segment.op === 'added' ? (
                <ins key={i} className="diff-added">
                  <span className="visually-hidden">[added: </span>
                  {segment.text}
                  <span className="visually-hidden">]</span>
                </ins>
              ) : (
                <del key={i} className="diff-removed">
                  <span className="visually-hidden">[removed: </span>
                  {segment.text}
                  <span className="visually-hidden">]</span>
                </del>
              ),
            )}
          </pre>
        </div>
      ))}
    </div>
  );
}
