import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, Loading } from '../components/bits';
import type { EntityType } from '../lib/domain';
import { formatValue } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { itemLabel } from './pricebook';

export const searchModes = ['hybrid', 'semantic', 'text'] as const;
export type SearchMode = (typeof searchModes)[number];

const modeWords: Record<SearchMode, string> = {
  hybrid: 'words and meaning',
  semantic: 'meaning only',
  text: 'words only',
};

/** The "find by meaning" box: `q` and `mode` in the address, like every other filter. */
export function MeaningSearchForm(props: {
  q: string | undefined;
  mode: SearchMode;
  onSearch: (q: string | undefined, mode: SearchMode) => void;
}) {
  const [text, setText] = useState(props.q ?? '');
  const [mode, setMode] = useState<SearchMode>(props.mode);
  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSearch(text.trim() || undefined, mode);
  }
  return (
    <form className="filters" onSubmit={submit} aria-label="Find by meaning">
      <label>
        Find by meaning
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. gas water heater without a tank"
        />
      </label>
      <label>
        Match
        <select value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
          {searchModes.map((m) => (
            <option key={m} value={m}>
              {modeWords[m]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Find</button>
    </form>
  );
}

/** The answer of `GET /api/pricebook/search` for one entity, best first. */
export function SearchResults(props: { entity: EntityType; q: string; mode: SearchMode }) {
  const { entity, q, mode } = props;
  const { data, error, loading } = useLoad(
    () =>
      api.GET('/api/pricebook/search', { params: { query: { q, mode, entity, limit: 50 } } }).then(unwrap),
    [entity, q, mode],
  );
  return (
    <>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data?.note && <p role="status">{data.note}</p>}
      {data && data.items.length === 0 && <p>No {entity} match.</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">ServiceTitan id</th>
                {entity !== 'categories' && (
                  <th scope="col" className="num">
                    Price
                  </th>
                )}
                <th scope="col">Status</th>
                <th scope="col">Found by</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map(({ item, textRank, semanticRank }) => (
                <tr key={item.id}>
                  <td>
                    <Link href={`/pricebook/${entity}/${item.id}`}>{itemLabel(item.record)}</Link>
                  </td>
                  <td>{item.stId ?? 'not pushed yet'}</td>
                  {entity !== 'categories' && <td className="num">{formatValue(item.record.price)}</td>}
                  <td>
                    <Badge value={item.syncStatus} />
                  </td>
                  <td>
                    {[textRank !== null && 'words', semanticRank !== null && 'meaning']
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
