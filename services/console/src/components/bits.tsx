import type { ReactNode } from 'react';
import { formatAge, formatDateTime, words } from '../lib/format';

/** A status word with a colour and the word itself, so colour is never the only signal. */
export function Badge(props: { value: string; tone?: 'good' | 'warn' | 'bad' | 'info' | 'plain' }) {
  return <span className={`badge ${props.tone ?? toneOf(props.value)}`}>{words(props.value)}</span>;
}

const tones: Record<string, 'good' | 'warn' | 'bad' | 'info'> = {
  completed: 'good',
  synced: 'good',
  resolved: 'good',
  running: 'info',
  queued: 'info',
  pushing: 'info',
  pending_sync: 'warn',
  pending: 'warn',
  unresolved: 'warn',
  superseded: 'info',
  conflict: 'bad',
  failed: 'bad',
  cancelled: 'bad',
};

function toneOf(value: string): 'good' | 'warn' | 'bad' | 'info' | 'plain' {
  return tones[value] ?? 'plain';
}

/** A time with its age beside it; the exact instant in the tooltip and for screen readers. */
export function When(props: { at: string | null | undefined }) {
  if (!props.at) return <span>—</span>;
  return (
    <time dateTime={props.at} title={formatDateTime(props.at)}>
      {formatAge(props.at)}
    </time>
  );
}

export function ErrorNote(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p className="error" role="alert">
      {props.error}
    </p>
  );
}

export function Loading(props: { when: boolean }) {
  return props.when ? (
    <p className="loading" role="status">
      Loading…
    </p>
  ) : null;
}

export function Section(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-label={props.title}>
      <div className="card-head">
        <h2>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

export function PageTitle(props: { children: ReactNode }) {
  return <h1>{props.children}</h1>;
}

/**
 * One filter of a list page: a labelled choice among `options`, with "all" (no filter) first unless
 * the filter always has a value. The page keeps the filters in its URL.
 *
 * @example
 * <FilterSelect label="Status" value={status} options={syncLogStatuses} onChange={(v) => go({ status: v })} />
 */
export function FilterSelect(props: {
  label: string;
  value: string | undefined;
  options: readonly string[];
  onChange: (value: string | undefined) => void;
  /** Shows each option as words (`pending_sync` → "pending sync"). */
  asWords?: boolean;
  /** The filter always has a value: no "all". */
  required?: boolean;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)}>
        {!props.required && <option value="">all</option>}
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.asWords ? words(option) : option}
          </option>
        ))}
      </select>
    </label>
  );
}
