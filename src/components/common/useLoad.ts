import { useCallback, useEffect, useState } from "react";

export interface LoadState<T> {
  /** The last value read; kept on screen while a reload runs or after one fails. */
  readonly value: T | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly reload: () => void;
}

/**
 * Reads `load()` on mount, again whenever `load` changes (wrap it in useCallback with what it
 * reads from) and on reload(). An answer that arrives after a newer read started, or after
 * unmount, is dropped, so a slow old read never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>): LoadState<T> {
  const [value, setValue] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load()
      .then((v) => current && setValue(() => v))
      .catch((err: unknown) => current && setError(err))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [load, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { value, loading, error, reload };
}
