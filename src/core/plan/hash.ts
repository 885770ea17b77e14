/** JSON with object keys sorted, so equal plans hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Identifies a plan so the server can tell whether the tenant changed between review and apply.
 * Two 32-bit FNV-1a lanes (64 bits): collision resistance against accidents, not attackers; the
 * server recomputes the plan itself and never trusts a client's plan.
 */
export function planHash(plan: {
  // A plan's actions, or a run's stored steps (same three fields; values read back from JSON).
  readonly actions: readonly {
    readonly cmdlet: string;
    readonly parameters: Readonly<Record<string, unknown>>;
    readonly dependsOn: readonly string[];
  }[];
}): string {
  const text = canonicalJson(plan.actions.map((a) => ({ c: a.cmdlet, p: a.parameters, d: a.dependsOn })));
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x2c1b3c6d) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
