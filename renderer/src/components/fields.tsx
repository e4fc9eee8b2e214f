import type { InputHTMLAttributes, ReactNode } from 'react';

/** One choice of a SelectField: the submitted value and the text shown. */
export interface Choice<T extends string = string> {
  value: T;
  label: string;
}

/**
 * A labelled text-like input (the label wraps it, so its accessible name is `label`). Every other
 * input attribute (type, placeholder, required, spellCheck…) passes through.
 */
export function TextField(
  props: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
    label: string;
    value: string;
    onChange: (value: string) => void;
  },
) {
  const { label, onChange, ...input } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <input {...input} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

/** A labelled select over `choices`. */
export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value as T)}
      >
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A checkbox with its label text after it (the label wraps it). */
export function CheckField(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.children}
    </label>
  );
}
