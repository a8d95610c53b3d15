import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { conflictStrategies, directions, entityTypes } from '../lib/domain';
import { words } from '../lib/format';
import { reportError } from '../lib/use-load';
import { ErrorNote } from './bits';

type Strategy = (typeof conflictStrategies)[number];
type Direction = (typeof directions)[number];
type Entity = (typeof entityTypes)[number];

/** Starts a sync with the specification's options, then opens its page to follow it. */
export function StartSync() {
  const [, navigate] = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const full = form.get('kind') === 'full';
    const chosen = entityTypes.filter((e) => form.get(`entity-${e}`) === 'on');
    if (chosen.length === 0) {
      setError('Choose at least one entity type.');
      return;
    }
    const body = {
      direction: form.get('direction') as Direction,
      entityTypes: chosen as Entity[],
      resolveConflicts: form.get('resolveConflicts') as Strategy,
      dryRun: form.get('dryRun') === 'on',
      allowMassDelete: form.get('allowMassDelete') === 'on',
      allowMassChange: form.get('allowMassChange') === 'on',
    };
    setBusy(true);
    setError(undefined);
    try {
      const accepted = unwrap(
        await (full
          ? api.POST('/api/sync/pricebook/full', { body })
          : api.POST('/api/sync/pricebook/incremental', { body })),
      );
      navigate(`/syncs/${accepted.syncLogId}`);
    } catch (e) {
      setError(reportError(e));
      setBusy(false);
    }
  }

  return (
    <form className="card start-sync" onSubmit={(e) => void submit(e)} aria-label="Start a sync">
      <h2>Start a sync</h2>
      <fieldset>
        <legend>Kind</legend>
        <label>
          <input type="radio" name="kind" value="incremental" defaultChecked /> Incremental (what changed)
        </label>
        <label>
          <input type="radio" name="kind" value="full" /> Full (every record; finds deletions)
        </label>
      </fieldset>
      <fieldset>
        <legend>Entity types</legend>
        {entityTypes.map((e) => (
          <label key={e}>
            <input type="checkbox" name={`entity-${e}`} defaultChecked /> {e}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label>
          Direction
          <select name="direction" defaultValue="from_st">
            {directions.map((d) => (
              <option key={d} value={d}>
                {words(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Conflicts
          <select name="resolveConflicts" defaultValue="manual">
            {conflictStrategies.map((s) => (
              <option key={s} value={s}>
                {s === 'manual' ? 'queue for a person' : words(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>Options</legend>
        <label>
          <input type="checkbox" name="dryRun" /> Dry run (plan only, change nothing)
        </label>
        <label>
          <input type="checkbox" name="allowMassDelete" /> Allow mass delete
        </label>
        <label>
          <input type="checkbox" name="allowMassChange" /> Allow mass price change
        </label>
      </fieldset>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Starting…' : 'Start sync'}
      </button>
    </form>
  );
}
