import type { ResourceKind, ResourceStatus } from "../plan/types";
import { distributionGroup } from "./distributionGroup";
import { journalRule } from "./journalRule";
import { outboundConnector } from "./outboundConnector";
import { transportConfig } from "./transportConfig";
import type { ResourceModule, StatusContext } from "./types";

/**
 * Every Exchange resource the product manages, in dependency order (a resource after those it
 * needs). The planner, the backend's tenant read and the status iterate this list; adding a
 * resource is one folder plus its entry here.
 */
export const RESOURCES: readonly ResourceModule[] = sortByNeeds([
  transportConfig,
  outboundConnector,
  distributionGroup,
  journalRule,
]);

/** A stable topological sort: listed order, except that a resource comes after what it needs. */
function sortByNeeds(modules: readonly ResourceModule[]): ResourceModule[] {
  const done: ResourceModule[] = [];
  const visiting = new Set<ResourceKind>();
  const visit = (m: ResourceModule): void => {
    if (done.includes(m)) return;
    if (visiting.has(m.kind)) throw new Error(`resource registry: ${m.kind} needs itself through a cycle`);
    visiting.add(m.kind);
    for (const k of m.ordering.needs) {
      const dep = modules.find((x) => x.kind === k);
      if (!dep) throw new Error(`resource registry: ${m.kind} needs ${k}, which is not registered`);
      visit(dep);
    }
    visiting.delete(m.kind);
    done.push(m);
  };
  modules.forEach(visit);
  return done;
}

export function resourceOf(kind: ResourceKind): ResourceModule {
  const m = RESOURCES.find((r) => r.kind === kind);
  if (!m) throw new Error(`resource registry: no module for ${kind}`);
  return m;
}

/** The status sentence of one resource (pane, channel tab, CLI). */
export function statusText(status: ResourceStatus, context: StatusContext = {}): string {
  return resourceOf(status.kind).statusText(status, context);
}
