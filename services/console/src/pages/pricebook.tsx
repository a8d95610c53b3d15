import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, FilterSelect, Loading, When } from '../components/bits';
import { entityTypes, itemStatuses } from '../lib/domain';
import { formatValue } from '../lib/format';
import { oneOf, useQueryParams, withQuery } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { MeaningSearchForm, SearchResults, searchModes } from './pricebook-search';

/** A row's name as people know it: its code and display name (categories: their name). */
export function itemLabel(record: Record<string, unknown>): string {
  const code = typeof record.code === 'string' ? record.code : undefined;
  const name = [record.displayName, record.name, record.description].find(
    (v) => typeof v === 'string' && v !== '',
  );
  return [code, name].filter(Boolean).join(' — ') || '(no name)';
}

/** Browse and search the pricebook per entity type, category and sync status. */
export function PricebookPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const entity = oneOf(params.get('entity'), entityTypes) ?? 'materials';
  const syncStatus = oneOf(params.get('syncStatus'), itemStatuses);
  const search = params.get('search') ?? undefined;
  const category = params.get('categoryId') ?? undefined;
  const categoryId = category && /^\d+$/.test(category) ? Number(category) : undefined;
  const cursor = params.get('cursor') ?? undefined;
  // A search by meaning replaces the list while `q` is in the address.
  const q = params.get('q') ?? undefined;
  const mode = oneOf(params.get('mode'), searchModes) ?? 'hybrid';
  const [text, setText] = useState(search ?? '');
  const [categoryText, setCategoryText] = useState(category ?? '');
  const { data, error, loading } = useLoad(
    () =>
      q !== undefined
        ? Promise.resolve(undefined)
        : api
            .GET('/api/pricebook/{entity}', {
              params: { path: { entity }, query: { search, syncStatus, categoryId, cursor, limit: 50 } },
            })
            .then(unwrap),
    [entity, search, syncStatus, categoryId, cursor, q],
  );
  const go = (change: Record<string, string | undefined>) =>
    navigate(withQuery('/pricebook', { entity, search, syncStatus, categoryId: category, ...change }));

  function submit(event: FormEvent) {
    event.preventDefault();
    go({ search: text.trim() || undefined, categoryId: categoryText.trim() || undefined });
  }

  return (
    <>
      <h1>Pricebook</h1>
      <nav aria-label="Entity types" className="tabs">
        <ul>
          {entityTypes.map((e) => (
            <li key={e}>
              <Link
                href={withQuery('/pricebook', { entity: e })}
                aria-current={e === entity ? 'page' : undefined}
              >
                {e}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form className="filters" onSubmit={submit} aria-label="Search">
        <label>
          Search
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="code or name"
          />
        </label>
        <label>
          Category id
          <input
            type="text"
            inputMode="numeric"
            value={categoryText}
            onChange={(e) => setCategoryText(e.target.value)}
            size={10}
          />
        </label>
        <FilterSelect
          label="Sync status"
          value={syncStatus}
          options={itemStatuses}
          onChange={(value) => go({ syncStatus: value })}
          asWords
        />
        <button type="submit">Search</button>
      </form>
      <MeaningSearchForm
        key={`${q ?? ''}:${mode}`}
        q={q}
        mode={mode}
        onSearch={(text, m) =>
          navigate(withQuery('/pricebook', { entity, q: text, mode: text ? m : undefined }))
        }
      />
      {q !== undefined && <SearchResults entity={entity} q={q} mode={mode} />}
      <ErrorNote error={error} />
      <Loading when={loading && !data && q === undefined} />
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
                <th scope="col">Last synced</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
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
                    <When at={item.lastSyncedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.page.nextCursor && (
        <p>
          <Link
            href={withQuery('/pricebook', {
              entity,
              search,
              syncStatus,
              categoryId: category,
              cursor: data.page.nextCursor,
            })}
          >
            Next page
          </Link>
        </p>
      )}
    </>
  );
}
