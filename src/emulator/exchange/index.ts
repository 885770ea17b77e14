/**
 * Exchange Online part of the emulator: per-tenant state, the admin API (InvokeCommand), the
 * settings behind /_emulator/tenants/{tenant}/exchange/settings, and simulated mail flow.
 */
export { createExchangeState, stableGuid, GATEWAY_HOST } from "./state";
export { handleExchangeRequest } from "./http";
export { runCmdlet, supportedCmdlets, allowedCmdlets, type CmdletCall } from "./engine";
export { getExchangeSettings, updateExchangeSettings, type SettingsUpdateResult } from "./settings";
export { defaultExchangeSettings, exchangeSettingsSchema, type ExchangeSettings } from "./settingsSchema";
export { simulateMailFlow, advanceMailFlow, ageMailFlow, type MailFlowOptions, type MailFlowSummary } from "./mailflow";
export { journalQueue, DEFERRAL_EXPIRY_MS, DISABLE_AFTER_CONTACT_MS } from "./journalQueue";
export { CmdletError, AccessDeniedError, ThrottledError } from "./errors";
export type {
  ExchangeState,
  ExchangeDeps,
  ExchangeRequest,
  ExchangeResponse,
  Caller,
  CmdletOutput,
  TraceEntry,
  OutboundConnectorRecord,
  JournalRuleRecord,
  TenantRecord,
} from "./types";
