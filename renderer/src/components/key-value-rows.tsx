import type { KeyValueRow } from '../lib/key-values.ts';

/**
 * Editable name/value rows (headers, auth parameters). `secret` makes values password fields: they are
 * write-only and never shown again once saved.
 */
export function KeyValueRows(props: {
  legend: string;
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  keyLabel: string;
  valueLabel: string;
  secret?: boolean;
  addLabel: string;
}) {
  const { rows, onChange } = props;
  const update = (index: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="kv">
      <legend>{props.legend}</legend>
      {rows.map((row, index) => (
        <div className="kv-row" key={index}>
          <label>
            <span className="visually-hidden">
              {props.keyLabel} {index + 1}
            </span>
            <input
              type="text"
              placeholder={props.keyLabel}
              autoComplete="off"
              spellCheck={false}
              value={row.key}
              onChange={(event) => update(index, { key: event.target.value })}
            />
          </label>
          <label>
            <span className="visually-hidden">
              {props.valueLabel} {index + 1}
            </span>
            <input
              type={props.secret ? 'password' : 'text'}
              placeholder={props.valueLabel}
              autoComplete="off"
              spellCheck={false}
              value={row.value}
              onChange={(event) => update(index, { value: event.target.value })}
            />
          </label>
          <button
            type="button"
            className="small"
            aria-label={`Delete row ${index + 1} of ${props.legend}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        {props.addLabel}
      </button>
    </fieldset>
  );
}
