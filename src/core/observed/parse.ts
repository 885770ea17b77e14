import { formatPath, type Result } from "../errors";
import { observedStateSchema, type ObservedState } from "./types";

export function parseObservedState(input: unknown): Result<ObservedState> {
  const parsed = observedStateSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  };
}
