/**
 * Resolves with the promise's value, or with `fallback` after `ms` (the promise is left to settle alone).
 * A leaf module: the host chunks (hostOutlook, hostTeams) need it, and hostDetect loads those chunks,
 * so it cannot live in hostDetect without an import circle.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
