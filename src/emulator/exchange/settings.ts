/**
 * Reading and changing a tenant's Exchange emulator settings. What the settings are (schema, defaults)
 * is in ./settingsSchema, a leaf that ./types can import without importing this file back.
 */
import { formatPath, type FieldError } from "../../core/errors";
import { exchangeSettingsSchema, type ExchangeSettings } from "./settingsSchema";
import type { ExchangeState } from "./types";

export function getExchangeSettings(state: ExchangeState): ExchangeSettings {
  return structuredClone(state.settings);
}

export type SettingsUpdateResult =
  { ok: true; settings: ExchangeSettings } | { ok: false; code: "invalid_settings"; errors: FieldError[] };

/**
 * Applies a partial settings object (nested objects merge one level deep). Nothing changes if
 * any field is invalid. Changing `seed` restarts the fault PRNG; `transientFailures.failNext`
 * re-arms the "fail the next N calls" counter.
 */
export function updateExchangeSettings(state: ExchangeState, patch: unknown): SettingsUpdateResult {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    return { ok: false, code: "invalid_settings", errors: [{ path: "(root)", message: "expected an object" }] };
  }
  const current = state.settings as unknown as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const old = current[key];
    const bothObjects =
      typeof old === "object" && old !== null && typeof value === "object" && value !== null && !Array.isArray(value);
    // Maps of hosts/cmdlets are replaced when given whole; the fixed-shape groups merge.
    const isMap = key === "connectorValidation" || key === "latencyOverridesMs";
    merged[key] = bothObjects && !isMap ? { ...old, ...value } : value;
  }
  const parsed = exchangeSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    return {
      ok: false,
      code: "invalid_settings",
      errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    };
  }
  const before = state.settings;
  state.settings = parsed.data;
  if (parsed.data.seed !== before.seed) state.runtime.prng = parsed.data.seed;
  if ((patch as { transientFailures?: { failNext?: unknown } }).transientFailures?.failNext !== undefined) {
    state.runtime.failNextRemaining = parsed.data.transientFailures.failNext;
  }
  if (parsed.data.mailFlow.seed !== before.mailFlow.seed) state.runtime.mailFlow.prng = parsed.data.mailFlow.seed;
  return { ok: true, settings: getExchangeSettings(state) };
}
