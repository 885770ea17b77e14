/** Every benchmark prints one JSON line: its measurements and whether they meet the budget. */
export function report(name: string, measurements: Record<string, unknown>, budget: string, ok: boolean): void {
  process.stdout.write(
    JSON.stringify({ bench: name, ...measurements, budget, verdict: ok ? "within budget" : "OVER BUDGET" }) + "\n",
  );
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
