import type { ReactNode } from 'react';
import type { Proposal } from '../lib/chat';
import { counted } from '../lib/format';
import { Badge, When } from './bits';

const tone = (s: Proposal['status']) =>
  s === 'proposed' ? 'info' : s === 'confirmed' ? 'good' : s === 'expired' ? 'warn' : 'plain';
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

/** The anchor of a proposal's card on the Proposals page. */
export const proposalAnchor = (id: string) => `proposal-${id}`;

/**
 * One proposal of the assistant: its summary and status, its plan (items, price changes, the
 * largest change), each item before and after, and the tool calls that led to it. The Proposals
 * page adds confirm and reject; the Assistant page a link to it.
 *
 * @example
 * <ProposalCard proposal={p}><button type="button">Confirm</button></ProposalCard>
 */
export function ProposalCard(props: { proposal: Proposal; children?: ReactNode }) {
  const p = props.proposal;
  return (
    <section id={proposalAnchor(p.id)} className="card" aria-label={`Proposal ${p.id}`}>
      <h2>
        {p.summary} <Badge value={p.status} tone={tone(p.status)} />
      </h2>
      <p className="hint">
        {p.entity} · by {p.createdBy} · <When at={p.createdAt} /> · expires <When at={p.expiresAt} />
        {p.decidedBy && (
          <>
            {' '}
            · {p.status} by {p.decidedBy} <When at={p.decidedAt} />
          </>
        )}
      </p>
      <p>
        {counted(p.plan.items, 'item')}, {counted(p.plan.priceChanges, 'price change')}, largest change{' '}
        {pct(p.plan.largestRelativeChange)}
        {p.plan.unchanged > 0 && `, ${p.plan.unchanged} already so`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`/admin/pricebook/${p.entity}/${i.id}`}>{i.name ?? i.id}</a>
                  {i.stId !== null && <span className="hint"> st:{i.stId}</span>}
                </td>
                <td>
                  <code>{JSON.stringify(i.before)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(i.after)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Tool calls ({p.toolCalls.length})</summary>
        <pre>{p.toolCalls.map((c) => `${c.name} ${JSON.stringify(c.arguments)}`).join('\n')}</pre>
      </details>
      {props.children}
    </section>
  );
}
