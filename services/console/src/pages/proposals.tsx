import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { ErrorNote, Loading } from '../components/bits';
import { ProposalCard } from '../components/proposal-card';
import { useQueryParams, withQuery } from '../lib/query';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';

const statuses = ['proposed', 'confirmed', 'rejected', 'expired'] as const;
type Status = (typeof statuses)[number];

/**
 * The assistant's proposals: each one's plan and items before and after, and an operator's
 * confirmation (one change-set, pushed by the next push under the push brake) or rejection.
 */
export function ProposalsPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const raw = params.get('status') ?? 'proposed';
  const status = (statuses as readonly string[]).includes(raw) ? (raw as Status) : undefined;
  const { data, error, loading, reload } = useLoad(
    () => api.GET('/api/assistant/proposals', { params: { query: { status, limit: 50 } } }).then(unwrap),
    [status],
  );
  const canDecide = useCan('operator');
  // A link from the Assistant page names one proposal (`#proposal-<id>`): show it once it is listed.
  useEffect(() => {
    const anchor = window.location.hash.slice(1);
    if (data && anchor) document.getElementById(anchor)?.scrollIntoView();
  }, [data]);
  const [notes, setNotes] = useState<Record<string, string>>({});

  async function decide(id: string, action: 'confirm' | 'reject') {
    try {
      const path =
        action === 'confirm'
          ? '/api/assistant/proposals/{id}/confirm'
          : '/api/assistant/proposals/{id}/reject';
      const { proposal } = unwrap(await api.POST(path, { params: { path: { id } } }));
      setNotes((n) => ({
        ...n,
        [id]:
          action === 'confirm'
            ? `Confirmed: change-set ${proposal.changeSetId ?? '(nothing changed)'}; the next push sends it.`
            : 'Rejected.',
      }));
      reload();
    } catch (e) {
      setNotes((n) => ({ ...n, [id]: reportError(e) }));
    }
  }

  return (
    <>
      <h1>Assistant proposals</h1>
      <p className="hint">
        Edits the assistant drafted. Nothing is written until an operator confirms; a confirmation is refused
        when a record changed since the proposal. Confirmed edits are one change-set, sent to ServiceTitan by
        the next push under the push brake.
      </p>
      <fieldset className="filters">
        <legend>Status</legend>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={s === status}
            onClick={() => navigate(withQuery('/proposals', { status: s }))}
          >
            {s}
          </button>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {Object.entries(notes).length > 0 && (
        <ul className="plain" aria-live="polite">
          {Object.entries(notes).map(([id, note]) => (
            <li key={id}>
              {id.slice(0, 8)}: {note}
            </li>
          ))}
        </ul>
      )}
      {data && data.proposals.length === 0 && <p>No {status} proposal.</p>}
      {data?.proposals.map((p) => (
        <ProposalCard key={p.id} proposal={p}>
          {canDecide && p.status === 'proposed' && (
            <p>
              <button type="button" onClick={() => void decide(p.id, 'confirm')}>
                Confirm
              </button>{' '}
              <button type="button" onClick={() => void decide(p.id, 'reject')}>
                Reject
              </button>
            </p>
          )}
        </ProposalCard>
      ))}
    </>
  );
}
