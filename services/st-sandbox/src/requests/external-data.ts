import type { ExternalDataModel } from '../store/types';
import type { ExternalDataCreate, ExternalDataUpdate } from './schemas';

/** Canonical form of a GUID, so `{ABC…}` and `abc…` name the same application. */
export function normalizeGuid(value: string): string {
  const hex = value.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function dedupe(entries: ExternalDataModel[]): ExternalDataModel[] {
  const byKey = new Map<string, string>();
  for (const e of entries) byKey.set(e.key, e.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** externalData of a new record: only the creating application's entries. */
export function externalOnCreate(
  request: ExternalDataCreate | null | undefined,
): Map<string, ExternalDataModel[]> | undefined {
  if (!request) return undefined;
  const entries = dedupe(request.externalData);
  return entries.length ? new Map([[normalizeGuid(request.applicationGuid), entries]]) : undefined;
}

/**
 * Applies an update for one application and leaves every other application's entries alone.
 * Replace (the default) keeps only the keys sent; Merge changes only the keys sent and
 * deletes a key sent with a null value.
 */
export function externalOnUpdate(
  current: Map<string, ExternalDataModel[]> | undefined,
  request: ExternalDataUpdate | null | undefined,
): Map<string, ExternalDataModel[]> | undefined {
  if (!request) return current;
  const guid = normalizeGuid(request.applicationGuid);
  const next = new Map(current);
  const byKey = new Map<string, string>(
    request.patchMode === 'Merge' ? (next.get(guid) ?? []).map((e) => [e.key, e.value]) : [],
  );
  for (const { key, value } of request.externalData) {
    if (value === null || value === undefined) byKey.delete(key);
    else byKey.set(key, value);
  }
  if (byKey.size)
    next.set(
      guid,
      [...byKey].map(([key, value]) => ({ key, value })),
    );
  else next.delete(guid);
  return next.size ? next : undefined;
}
