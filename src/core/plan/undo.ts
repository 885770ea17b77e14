import { isUnsetAddress, sameAddress } from "../desired/smtp";
import type { ParamValue } from "../exchange/catalog";
import type { ObservedState } from "../observed/types";
import { membersOf } from "../resources/distributionGroup/diff";
import type { JournalRule } from "../resources/journalRule/schema";
import type { OutboundConnector } from "../resources/outboundConnector/schema";
import type { Action, Plan, PlanWarning } from "./types";

/**
 * Undo: the plan that restores what one finished run changed. It is computed from the run's
 * audited actions and the values each one found before it ran ("before-values", recorded by the
 * executor from the observed state the run was planned from), against the tenant as it is now:
 * - a created journal rule or connector is removed (exactly the object the run named);
 * - a changed value is set back (Set-TransportConfig, Set-OutboundConnector, Set-JournalRule);
 * - an enabled / disabled rule is switched back; a removed rule or connector is created again
 *   with its old properties; members the run added are removed, members it removed are re-added;
 * - a created distribution list stays: Remove-DistributionGroup is not among the cmdlets the
 *   product runs (shared/reference/cmdlets.json), so the plan says so.
 * What is already back to its old value is skipped, so the undo of an undone run is empty.
 * The result is an ordinary Plan: describeAction, the PowerShell script, the plan hash and the
 * executor work unchanged.
 */

/** Values an action found before it ran (Exchange property names), or null when it needs none. */
export type BeforeValues = Readonly<Record<string, ParamValue>>;

/** One audited action of the run to undo (the store's action record, reduced to what undo reads). */
export interface UndoSourceAction {
  readonly id: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly state: string;
  /** Undefined/null when the run was recorded before before-values existed. */
  readonly before?: BeforeValues | null;
}

/** Undo runs in three phases so Exchange accepts each step: see phaseOf. */
type Phase = 0 | 1 | 2;

interface UndoDraft {
  readonly action: Omit<Action, "dependsOn">;
  readonly phase: Phase;
}

/** A parameter or property as text (Identity, Name, addresses are strings; anything else is not a name). */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

function asList(value: ParamValue): string[] {
  if (value === null) return [];
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return [...value];
}

function findRule(observed: ObservedState, identity: unknown): JournalRule | undefined {
  const name = text(identity).toLowerCase();
  return observed["Get-JournalRule"].find(
    (r) => r.Name.toLowerCase() === name || (r.Identity ?? "").toLowerCase() === name,
  );
}

function findConnector(observed: ObservedState, identity: unknown): OutboundConnector | undefined {
  const name = text(identity).toLowerCase();
  return observed["Get-OutboundConnector"].find(
    (c) => c.Name.toLowerCase() === name || (c.Identity ?? "").toLowerCase() === name,
  );
}

const ruleRecipient = (r: JournalRule): string | null => (isUnsetAddress(r.Recipient) ? null : r.Recipient);

/** The observed value of one property of the object an action changes. */
function ruleValue(rule: JournalRule, property: string): ParamValue {
  if (property === "Recipient") return ruleRecipient(rule);
  return toParam((rule as Record<string, unknown>)[property]);
}

function toParam(value: unknown): ParamValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(text);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

/** Connector properties a removed connector is re-created with (all that New-OutboundConnector takes of what is read). */
const CONNECTOR_PROPERTIES = [
  "ConnectorType",
  "RecipientDomains",
  "SmartHosts",
  "UseMXRecord",
  "TlsSettings",
  "IsTransportRuleScoped",
  "RouteAllMessagesViaOnPremises",
  "TestMode",
  "Enabled",
] as const;

/**
 * What an action of a plan finds before it runs, read from the observed state the plan was made
 * from: the old value of every property it changes, or the whole object it removes. Undefined for
 * actions whose inverse needs nothing (New-*, member changes). Pure.
 */
export function beforeValues(
  action: Pick<Action, "cmdlet" | "parameters">,
  observed: ObservedState,
): BeforeValues | undefined {
  const p = action.parameters;
  switch (action.cmdlet) {
    case "Set-TransportConfig": {
      const ndr = observed["Get-TransportConfig"].JournalingReportNdrTo;
      return { JournalingReportNdrTo: isUnsetAddress(ndr) ? null : (ndr ?? null) };
    }
    case "Set-OutboundConnector": {
      const c = findConnector(observed, p.Identity);
      if (!c) return undefined;
      const before: Record<string, ParamValue> = {};
      for (const key of Object.keys(p)) {
        if (key === "Identity" || key === "Confirm") continue;
        before[key] = toParam((c as Record<string, unknown>)[key]);
      }
      return before;
    }
    case "Set-JournalRule": {
      const r = findRule(observed, p.Identity);
      if (!r) return undefined;
      const before: Record<string, ParamValue> = {};
      for (const key of Object.keys(p)) if (key !== "Identity" && key !== "Confirm") before[key] = ruleValue(r, key);
      return before;
    }
    case "Enable-JournalRule":
    case "Disable-JournalRule": {
      const r = findRule(observed, p.Identity);
      return r ? { Enabled: r.Enabled } : undefined;
    }
    case "Remove-JournalRule": {
      const r = findRule(observed, p.Identity);
      if (!r) return undefined;
      return {
        Name: r.Name,
        JournalEmailAddress: r.JournalEmailAddress,
        Recipient: ruleRecipient(r),
        Scope: r.Scope,
        Enabled: r.Enabled,
      };
    }
    case "Remove-OutboundConnector": {
      const c = findConnector(observed, p.Identity);
      if (!c) return undefined;
      const before: Record<string, ParamValue> = { Name: c.Name };
      for (const key of CONNECTOR_PROPERTIES) before[key] = toParam(c[key]);
      return before;
    }
    default:
      return undefined;
  }
}

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const la = asList(a)
      .map((v) => v.toLowerCase())
      .sort();
    const lb = asList(b)
      .map((v) => v.toLowerCase())
      .sort();
    return la.length === lb.length && la.every((v, i) => v === lb[i]);
  }
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

const noBefore = (a: UndoSourceAction): PlanWarning => ({
  code: "undo-cannot",
  message: `${a.cmdlet} ${text(a.parameters.Identity ?? a.parameters.Name)} cannot be undone: the run did not record the value it replaced (it ran before undo existed).`,
});

/** The undo of one succeeded action, or a warning when it cannot be undone, or nothing when already back. */
function undoOne(a: UndoSourceAction, observed: ObservedState): { draft?: UndoDraft; warning?: PlanWarning } {
  const p = a.parameters;
  const id = `undo:${a.id}`;
  const before = a.before ?? undefined;
  switch (a.cmdlet) {
    case "New-JournalRule": {
      const name = String(p.Name);
      if (!findRule(observed, name)) return {};
      return {
        draft: {
          phase: 0,
          action: {
            id,
            cmdlet: "Remove-JournalRule",
            parameters: { Identity: name, Confirm: false },
            reason: `Undo: the run created journal rule "${name}".`,
          },
        },
      };
    }
    case "New-OutboundConnector": {
      const name = String(p.Name);
      if (!findConnector(observed, name)) return {};
      return {
        draft: {
          phase: 1,
          action: {
            id,
            cmdlet: "Remove-OutboundConnector",
            parameters: { Identity: name, Confirm: false },
            reason: `Undo: the run created connector "${name}".`,
          },
        },
      };
    }
    case "New-DistributionGroup": {
      const address = String(p.PrimarySmtpAddress ?? p.Name);
      return {
        warning: {
          code: "undo-cannot",
          message: `Distribution list ${address} ("${String(p.Name)}"), which the run created, stays: this product does not remove distribution lists (Remove-DistributionGroup is not among the cmdlets it runs). Remove it by hand if nothing else uses it.`,
        },
      };
    }
    case "Add-DistributionGroupMember":
    case "Remove-DistributionGroupMember": {
      const group = String(p.Identity);
      const member = String(p.Member);
      const members = membersOf(observed, group);
      const isMember = members?.some((m) => sameAddress(m.PrimarySmtpAddress, member));
      const added = a.cmdlet === "Add-DistributionGroupMember";
      // Already back (known membership says so): nothing to do.
      if (members !== undefined && isMember === !added) return {};
      return {
        draft: {
          phase: 1,
          action: added
            ? {
                id,
                cmdlet: "Remove-DistributionGroupMember",
                parameters: { Identity: group, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false },
                reason: `Undo: the run added ${member} to ${group}.`,
              }
            : {
                id,
                cmdlet: "Add-DistributionGroupMember",
                parameters: { Identity: group, Member: member, BypassSecurityGroupManagerCheck: true },
                reason: `Undo: the run removed ${member} from ${group}.`,
              },
        },
      };
    }
    case "Set-TransportConfig": {
      if (!before || !("JournalingReportNdrTo" in before)) return { warning: noBefore(a) };
      const old = before.JournalingReportNdrTo ?? null;
      const actual = observed["Get-TransportConfig"].JournalingReportNdrTo;
      const now = isUnsetAddress(actual) ? null : (actual ?? null);
      if (old === null ? now === null : sameAddress(now, String(old))) return {};
      return {
        draft: {
          // Cleared after the rules are removed (Exchange refuses while a rule exists); set before rules are re-created.
          phase: 1,
          action: {
            id,
            cmdlet: "Set-TransportConfig",
            parameters: { JournalingReportNdrTo: old },
            reason:
              old === null
                ? `Undo: the address for undeliverable journal reports was not set before the run.`
                : `Undo: undeliverable journal reports went to ${String(old)} before the run.`,
          },
        },
      };
    }
    case "Set-OutboundConnector": {
      if (!before) return { warning: noBefore(a) };
      const name = String(p.Name ?? p.Identity);
      const c = findConnector(observed, name) ?? findConnector(observed, p.Identity);
      if (!c)
        return {
          warning: {
            code: "undo-cannot",
            message: `Connector "${name}" no longer exists, so its old settings cannot be restored.`,
          },
        };
      const parameters: Record<string, ParamValue> = { Identity: c.Name };
      for (const [key, old] of Object.entries(before)) {
        if (!sameValue(toParam((c as Record<string, unknown>)[key]), old)) parameters[key] = old;
      }
      if (Object.keys(parameters).length === 1) return {};
      return {
        draft: {
          phase: 1,
          action: {
            id,
            cmdlet: "Set-OutboundConnector",
            parameters,
            reason: `Undo: connector "${c.Name}" had ${Object.keys(parameters)
              .filter((k) => k !== "Identity")
              .join(", ")} as before the run.`,
          },
        },
      };
    }
    case "Set-JournalRule": {
      if (!before) return { warning: noBefore(a) };
      const name = String(p.Name ?? p.Identity);
      const r = findRule(observed, name) ?? findRule(observed, p.Identity);
      if (!r)
        return {
          warning: {
            code: "undo-cannot",
            message: `Journal rule "${name}" no longer exists, so its old settings cannot be restored.`,
          },
        };
      const parameters: Record<string, ParamValue> = { Identity: r.Name };
      for (const [key, old] of Object.entries(before)) if (!sameValue(ruleValue(r, key), old)) parameters[key] = old;
      if (Object.keys(parameters).length === 1) return {};
      return {
        draft: {
          phase: 1,
          action: {
            id,
            cmdlet: "Set-JournalRule",
            parameters,
            reason: `Undo: journal rule "${r.Name}" had ${Object.keys(parameters)
              .filter((k) => k !== "Identity")
              .join(", ")} as before the run.`,
          },
        },
      };
    }
    case "Enable-JournalRule":
    case "Disable-JournalRule": {
      if (!before || typeof before.Enabled !== "boolean") return { warning: noBefore(a) };
      const r = findRule(observed, p.Identity);
      if (!r || r.Enabled === before.Enabled) return {};
      return {
        draft: {
          // Switching a rule off frees nothing Exchange checks, but switching one on needs the NDR address back.
          phase: before.Enabled ? 2 : 0,
          action: {
            id,
            cmdlet: before.Enabled ? "Enable-JournalRule" : "Disable-JournalRule",
            parameters: before.Enabled ? { Identity: r.Name } : { Identity: r.Name, Confirm: false },
            reason: `Undo: journal rule "${r.Name}" was ${before.Enabled ? "on" : "off"} before the run.`,
          },
        },
      };
    }
    case "Remove-JournalRule": {
      if (!before || typeof before.Name !== "string") return { warning: noBefore(a) };
      if (findRule(observed, before.Name)) return {};
      const parameters: Record<string, ParamValue> = {
        Name: before.Name,
        JournalEmailAddress: before.JournalEmailAddress ?? null,
        ...(before.Recipient ? { Recipient: before.Recipient } : {}),
        Scope: before.Scope ?? "Global",
        Enabled: before.Enabled ?? false,
      };
      return {
        draft: {
          phase: 2,
          action: {
            id,
            cmdlet: "New-JournalRule",
            parameters,
            reason: `Undo: the run removed journal rule "${before.Name}".`,
          },
        },
      };
    }
    case "Remove-OutboundConnector": {
      if (!before || typeof before.Name !== "string") return { warning: noBefore(a) };
      if (findConnector(observed, before.Name)) return {};
      const parameters: Record<string, ParamValue> = {};
      for (const [k, v] of Object.entries(before)) if (v !== null) parameters[k] = v;
      return {
        draft: {
          phase: 1,
          action: {
            id,
            cmdlet: "New-OutboundConnector",
            parameters,
            reason: `Undo: the run removed connector "${before.Name}".`,
          },
        },
      };
    }
    default:
      return { warning: { code: "undo-cannot", message: `${a.cmdlet} cannot be undone by this product.` } };
  }
}

/**
 * The undo plan of a finished run. Only the run's succeeded actions are undone. Three phases, each
 * after the one before it: (0) journal rules the run created are removed and rules it enabled are
 * switched off; (1) values, connectors and members are restored (the NDR address can be cleared
 * only once no journal rule needs it); (2) rules it removed or disabled come back, once the address
 * and connectors they need are there. Pure.
 */
export function planUndo(actions: readonly UndoSourceAction[], observed: ObservedState): Plan {
  const drafts: UndoDraft[] = [];
  const warnings: PlanWarning[] = [];
  // Undo the last change first when a run touched the same object twice.
  for (const a of [...actions].reverse()) {
    if (a.state !== "succeeded") continue;
    const one = undoOne(a, observed);
    if (one.draft && !drafts.some((d) => d.action.cmdlet === one.draft?.action.cmdlet && sameCall(d, one.draft))) {
      drafts.push(one.draft);
    }
    if (one.warning) warnings.push(one.warning);
  }
  // Clearing the NDR address needs every journal rule gone (Exchange refuses otherwise): say so when some stay.
  const clear = drafts.find(
    (d) => d.action.cmdlet === "Set-TransportConfig" && d.action.parameters.JournalingReportNdrTo === null,
  );
  if (clear) {
    const removed = new Set(
      drafts
        .filter((d) => d.action.cmdlet === "Remove-JournalRule")
        .map((d) => String(d.action.parameters.Identity).toLowerCase()),
    );
    const staying = observed["Get-JournalRule"].filter((r) => !removed.has(r.Name.toLowerCase()));
    if (staying.length > 0) {
      drafts.splice(drafts.indexOf(clear), 1);
      warnings.push({
        code: "undo-cannot",
        message: `The address for undeliverable journal reports stays: it was not set before the run, but ${staying.length} other journal rule${staying.length === 1 ? " still needs" : "s still need"} it (Exchange refuses to clear it while any journal rule exists).`,
      });
    }
  }
  const ordered = [...drafts].sort((x, y) => x.phase - y.phase);
  const result: Action[] = ordered.map((d) => ({
    ...d.action,
    dependsOn: ordered.filter((o) => o.phase < d.phase).map((o) => o.action.id),
  }));
  return { actions: result, warnings };
}

function sameCall(a: UndoDraft, b: UndoDraft): boolean {
  return JSON.stringify(a.action.parameters) === JSON.stringify(b.action.parameters);
}
