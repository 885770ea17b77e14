import type { ParamValue } from "../exchange/catalog";

/** One Exchange cmdlet call the plan will make. */
export interface Action {
  readonly id: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, ParamValue>>;
  readonly dependsOn: readonly string[];
  readonly reason: string;
}

export type WarningCode =
  | "external-scope-spoofing"
  | "ndr-mailbox-advice"
  | "other-journal-destination"
  | "gateway-without-connector"
  | "connector-shared-domains"
  | "users-outside-groups"
  | "centralized-mail-transport"
  /** state removed: an object the plan keeps, and why (a list, a shared connector, the NDR address). */
  | "removal-keeps"
  /** state paused: a journal rule of the setup does not exist, and pausing creates nothing. */
  | "paused-missing-rule"
  /** undo: a change of the run that cannot be undone (a created list, a missing before-value), and why. */
  | "undo-cannot";

export interface PlanWarning {
  readonly code: WarningCode;
  readonly message: string;
}

export interface Plan {
  readonly actions: readonly Action[];
  readonly warnings: readonly PlanWarning[];
}

export type ResourceKind = "transportConfig" | "outboundConnector" | "distributionGroup" | "journalRule";

export interface Drift {
  readonly property: string;
  readonly desired: ParamValue;
  readonly actual: ParamValue;
}

/**
 * What status shows per resource: ok, drifted (which properties), missing, to be removed, or
 * paused (a journal rule of a paused setup, disabled as desired).
 */
export interface ResourceStatus {
  readonly kind: ResourceKind;
  /** Stable key: the host, group address or region the resource serves. */
  readonly key: string;
  readonly label: string;
  readonly state: "ok" | "missing" | "drifted" | "unwanted" | "paused";
  readonly drift: readonly Drift[];
  /** The Exchange identity of the matching object, when one exists. */
  readonly identity?: string;
}

/** An action before the planner wires its dependencies. */
export interface ActionDraft {
  readonly id: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, ParamValue>>;
  readonly reason: string;
  /** Ids of resources this action needs to exist first ("ndr", "connector:<host>", "group:<addr>"). */
  readonly needs?: readonly string[];
  /** The resource this action creates or changes, so others can depend on it. */
  readonly provides?: string;
  /** A teardown (removal, clearing): runs after every build action, dependents' teardowns first. */
  readonly teardown?: boolean;
}

export interface ResourceDiff {
  readonly status: readonly ResourceStatus[];
  readonly actions: readonly ActionDraft[];
  readonly warnings: readonly PlanWarning[];
}

/**
 * Least-privilege permissions a resource needs, as Microsoft365DSC declares them. Each list names
 * alternatives except where the resource's own comment says all are needed.
 */
export interface ResourcePermissions {
  readonly read: { readonly exchangeRoles: readonly string[]; readonly entraRoles: readonly string[] };
  readonly change: { readonly exchangeRoles: readonly string[]; readonly entraRoles: readonly string[] };
}
