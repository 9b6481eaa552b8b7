import { useCallback, useEffect, useState } from 'preact/hooks';

/**
 * A small query cache: one entry per key, shared by every component that shows it, loaded once
 * however many ask, refreshed on an interval when a screen wants live data, and invalidated by
 * key prefix after a change (`invalidate('enterprise:ABC')`). Errors keep the last good data.
 */

interface Entry {
  data?: unknown;
  error?: unknown;
  loading: boolean;
  stale: boolean;
  fetcher: () => Promise<unknown>;
  promise?: Promise<void>;
  readonly listeners: Set<() => void>;
}

const cache = new Map<string, Entry>();

function notify(entry: Entry): void {
  for (const listener of [...entry.listeners]) listener();
}

function load(entry: Entry): Promise<void> {
  entry.promise ??= (async () => {
    entry.loading = true;
    notify(entry);
    try {
      entry.data = await entry.fetcher();
      entry.error = undefined;
      entry.stale = false;
    } catch (error) {
      entry.error = error;
    } finally {
      entry.loading = false;
      entry.promise = undefined;
      notify(entry);
    }
  })();
  return entry.promise;
}

function entryFor(key: string, fetcher: () => Promise<unknown>): Entry {
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = { loading: false, stale: true, fetcher, listeners: new Set() };
    cache.set(key, entry);
  }
  entry.fetcher = fetcher;
  return entry;
}

export interface QueryResult<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  /** Nothing to show yet. A refresh of shown data is not "loading" (no flicker, no announcement). */
  readonly loading: boolean;
  refetch(): Promise<void>;
}

/** `key` null: nothing to load yet (e.g. no id chosen). */
export function useQuery<T>(
  key: string | null,
  fetcher: () => Promise<T>,
  options: { refetchMs?: number } = {},
): QueryResult<T> {
  const [, rerender] = useState(0);
  const entry = key === null ? undefined : entryFor(key, fetcher);
  useEffect(() => {
    if (entry === undefined) return;
    const listener = () => rerender((n) => n + 1);
    entry.listeners.add(listener);
    if (entry.stale && entry.promise === undefined) void load(entry);
    const timer =
      options.refetchMs === undefined ? undefined : setInterval(() => void load(entry), options.refetchMs);
    return () => {
      entry.listeners.delete(listener);
      if (timer !== undefined) clearInterval(timer);
    };
  }, [key, options.refetchMs]);
  const refetch = useCallback(() => (entry === undefined ? Promise.resolve() : load(entry)), [key]);
  return {
    data: entry?.data as T | undefined,
    error: entry?.error,
    loading: entry !== undefined && entry.data === undefined && entry.error === undefined,
    refetch,
  };
}

/** Marks every entry whose key starts with the prefix stale and reloads the ones on screen. */
export async function invalidate(...prefixes: string[]): Promise<void> {
  const reloading: Promise<void>[] = [];
  for (const [key, entry] of cache) {
    if (!prefixes.some((prefix) => key.startsWith(prefix))) continue;
    entry.stale = true;
    if (entry.listeners.size > 0) reloading.push(load(entry));
  }
  await Promise.all(reloading);
}

/** Forgets everything (sign-out: another identity sees other data). */
export function clearQueries(): void {
  cache.clear();
}
