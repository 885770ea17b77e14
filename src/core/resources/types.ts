import type { ParamValue } from "../exchange/catalog";
import type { ObservedState } from "../observed/types";
import type { ResolvedSetup } from "../plan/setup";
import type { ResourceDiff, ResourceKind, ResourcePermissions, ResourceStatus } from "../plan/types";

/**
 * One Exchange resource, Microsoft365DSC-style: everything the product knows about it in one folder
 * (observed-state schema, the reads that fetch it, its diff for each setup state, its ordering, the
 * roles it needs, its status text). The registry lists them; the planner, the backend's tenant read
 * and the status iterate the registry, so a new resource is one folder plus its test.
 */
export interface ResourceModule {
  readonly kind: ResourceKind;
  /** The Get- cmdlets the backend runs for this resource; their output lands in the observed state under the cmdlet's name. */
  readonly reads: readonly ReadSpec[];
  readonly permissions: ResourcePermissions;
  readonly ordering: ResourceOrdering;
  /** The actions, status and warnings that bring this resource to the setup (for its `state`). Pure. */
  diff(setup: ResolvedSetup, observed: ObservedState): ResourceDiff;
  /** One sentence for the status (pane, channel tab, CLI). */
  statusText(status: ResourceStatus, context: StatusContext): string;
}

/** The keys of the observed state: one per Get- cmdlet read. */
export type ObservedCmdlet = keyof ObservedState;

export type ReadSpec =
  | {
      readonly cmdlet: ObservedCmdlet;
      /** "all": every object; "one": the single organization object (Get-TransportConfig). */
      readonly shape: "all" | "one";
      readonly parameters: Readonly<Record<string, ParamValue>>;
    }
  | {
      readonly cmdlet: ObservedCmdlet;
      /** Once per distribution list the desired state names, keyed by the list's address. */
      readonly shape: "perGroup";
      readonly parameters: (address: string) => Readonly<Record<string, ParamValue>>;
    };

/**
 * Where the resource's actions go in a plan. Build actions run resource by resource in dependency
 * order (a resource after those it `needs`), each resource's `steps` in order; teardown actions
 * (ActionDraft.teardown) run after every build action, in reverse dependency order, so what others
 * need goes last. Action-level dependencies (needs/provides on the drafts) come on top.
 */
export interface ResourceOrdering {
  readonly needs: readonly ResourceKind[];
  /** The cmdlets this resource emits, in the order they run within it (one inner list = same step). */
  readonly steps: readonly (readonly string[])[];
}

/** Who paused the setup and when (from the audit: the last Disable-JournalRule run). */
export interface PauseRecord {
  readonly since: string;
  readonly by: string;
}

export interface StatusContext {
  readonly paused?: PauseRecord;
}
