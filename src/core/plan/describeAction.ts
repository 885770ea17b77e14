/**
 * One action (a plan's, a run's or an audit entry's cmdlet call) in an admin's words, from its
 * cmdlet and parameters: what will be done, is being done, was done, or could not be done. The
 * plan's `reason` says why an action is needed (the state before); these sentences say what it
 * does, so a finished row never repeats the before-state. Pure: the Review and Apply steps, the
 * shared progress and anything on the server that shows an action use the same words.
 */

/** planned: in the plan or waiting; running; done; failed; notRun: skipped because a change it needs failed. */
export type ActionPhase = "planned" | "running" | "done" | "failed" | "notRun";

/** What the sentence is made from: the cmdlet and its parameters (values as the plan or the audit has them). */
export interface DescribableAction {
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

interface Verb {
  /** Lower-case base form: "create". */
  readonly base: string;
  readonly ing: string;
  readonly past: string;
}

const CREATE: Verb = { base: "create", ing: "creating", past: "created" };
const SET: Verb = { base: "set", ing: "setting", past: "set" };
const CHANGE: Verb = { base: "change", ing: "changing", past: "changed" };
const REMOVE: Verb = { base: "remove", ing: "removing", past: "removed" };
const ADD: Verb = { base: "add", ing: "adding", past: "added" };
const TURN_ON: Verb = { base: "turn on", ing: "turning on", past: "turned on" };
const TURN_OFF: Verb = { base: "turn off", ing: "turning off", past: "turned off" };
const CLEAR: Verb = { base: "clear", ing: "clearing", past: "cleared" };
const TEST: Verb = { base: "test", ing: "testing", past: "tested" };
const RUN: Verb = { base: "run", ing: "running", past: "ran" };

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function verbFor(verb: Verb, phase: ActionPhase): string {
  switch (phase) {
    case "planned":
      return capitalize(verb.base);
    case "running":
      return capitalize(verb.ing);
    case "done":
      return capitalize(verb.past);
    case "failed":
      return `Could not ${verb.base}`;
    case "notRun":
      return `Did not ${verb.base}`;
  }
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(text).join(", ");
  return "";
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter((v) => v !== "");
  const one = text(value);
  return one === "" ? [] : [one];
}

const quoted = (value: unknown): string => `"${text(value)}"`;

function count(n: number, one: string, many: string): string {
  return n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`;
}

/** Exchange's scope names in words: External -> "external mail". */
function scopeWords(scope: unknown): string {
  switch (text(scope).toLowerCase()) {
    case "global":
      return "all mail";
    case "internal":
      return "internal mail";
    default:
      return "external mail";
  }
}

/** Whose mail a journal rule covers: no Recipient (or $null) means everyone. */
function whose(recipient: unknown): string {
  const r = text(recipient);
  return r === "" ? "everyone" : `the members of ${r}`;
}

/** A connector property the plan sets, in words (Set-OutboundConnector). */
function connectorChange(property: string, value: unknown): string {
  switch (property) {
    case "ConnectorType":
      return `type ${text(value)}`;
    case "RecipientDomains":
      return `for mail to ${list(value).join(", ")}`;
    case "SmartHosts":
      return `through ${list(value).join(", ")}`;
    case "UseMXRecord":
      return value === false ? "smart hosts instead of MX records" : "MX records instead of smart hosts";
    case "TlsSettings":
      return text(value) === "CertificateValidation" ? "TLS with a trusted certificate" : `TLS ${text(value)}`;
    case "IsTransportRuleScoped":
      return value === false ? "for all mail, not only mail flow rules" : "only for mail flow rules";
    case "Enabled":
      return value === false ? "turned off" : "turned on";
    default:
      return `${property} ${text(value)}`;
  }
}

/** A journal rule property the plan sets, in words (Set-JournalRule). */
function ruleChange(property: string, value: unknown): string {
  switch (property) {
    case "JournalEmailAddress":
      return `reports to ${text(value)}`;
    case "Recipient":
      return `for ${whose(value)}`;
    case "Scope":
      return `for ${scopeWords(value)}`;
    default:
      return `${property} ${text(value)}`;
  }
}

/** The parameters other than Identity/Confirm, each through `say`. */
function changes(
  parameters: Readonly<Record<string, unknown>>,
  say: (property: string, value: unknown) => string,
): string {
  const parts = Object.entries(parameters)
    .filter(([k]) => k !== "Identity" && k !== "Confirm" && k !== "WhatIf")
    .map(([k, v]) => say(k, v));
  return parts.length > 0 ? `: ${parts.join(", ")}` : "";
}

/** The sentence for one action in one phase, e.g. `Created list journaling-eu1@contoso.com with 2 members`. */
export function describeAction(action: DescribableAction, phase: ActionPhase): string {
  const p = action.parameters;
  const v = (verb: Verb): string => verbFor(verb, phase);
  switch (action.cmdlet) {
    case "Set-TransportConfig":
      // $null clears the address (a removed setup with clearNdrAddress).
      if ("JournalingReportNdrTo" in p && p.JournalingReportNdrTo === null) {
        return `${v(CLEAR)} the address for undeliverable reports`;
      }
      return text(p.JournalingReportNdrTo) === ""
        ? `${v(CHANGE)} the organization's transport settings`
        : `${v(SET)} the address for undeliverable reports to ${text(p.JournalingReportNdrTo)}`;
    case "New-OutboundConnector": {
      const hosts = list(p.SmartHosts).length > 0 ? list(p.SmartHosts) : list(p.RecipientDomains);
      return `${v(CREATE)} connector ${quoted(p.Name)} to ${hosts.join(", ")}`;
    }
    case "Set-OutboundConnector":
      return `${v(CHANGE)} connector ${quoted(p.Identity)}${changes(p, connectorChange)}`;
    case "Remove-OutboundConnector":
      return `${v(REMOVE)} connector ${quoted(p.Identity)}`;
    case "Validate-OutboundConnector":
      return `${v(TEST)} connector ${quoted(p.Identity)} with a message to ${list(p.Recipients).join(", ")}`;
    case "New-DistributionGroup":
      return `${v(CREATE)} list ${text(p.PrimarySmtpAddress) || quoted(p.Name)} with ${count(list(p.Members).length, "member", "members")}`;
    case "Add-DistributionGroupMember":
      return `${v(ADD)} ${text(p.Member)} to list ${text(p.Identity)}`;
    case "Remove-DistributionGroupMember":
      return `${v(REMOVE)} ${text(p.Member)} from list ${text(p.Identity)}`;
    case "New-JournalRule":
      return (
        `${v(CREATE)} journal rule ${quoted(p.Name)} to ${text(p.JournalEmailAddress)} for ${scopeWords(p.Scope)} of ${whose(p.Recipient)}` +
        (p.Enabled === true ? "" : ", turned off")
      );
    case "Set-JournalRule":
      return `${v(CHANGE)} journal rule ${quoted(p.Identity)}${changes(p, ruleChange)}`;
    case "Enable-JournalRule":
      return `${v(TURN_ON)} journal rule ${quoted(p.Identity)}`;
    case "Disable-JournalRule":
      return `${v(TURN_OFF)} journal rule ${quoted(p.Identity)}`;
    case "Remove-JournalRule":
      return `${v(REMOVE)} journal rule ${quoted(p.Identity)}`;
    default:
      return `${v(RUN)} ${action.cmdlet}`;
  }
}
