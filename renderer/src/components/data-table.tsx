import type { ReactNode } from 'react';

/**
 * A scrollable table named `label` with one header per column; `actions` names a last column of
 * buttons, for screen readers only. `children` are the body rows.
 */
export function DataTable(props: {
  label: string;
  columns: readonly string[];
  actions?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={props.label} className={props.className}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {props.actions ? (
              <th scope="col">
                <span className="visually-hidden">{props.actions}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
