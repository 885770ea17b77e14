import { pauseFromAudit, planSetup, type PauseRecord, type ResolvedSetup, type ResourceStatus } from "../../core";
import type { StatusResponse } from "../../core/contract";
import { deliveryFindings } from "../../core/status/deliveryFindings";
import { canRead, type Principal } from "../auth/principal";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { Store } from "../store/tenantStore";
import { currentDesired } from "../tenant/desiredSource";
import { desiredGroupAddresses, readObservedState, type ObservedRead } from "../tenant/observe";
import type { GraphTraceSource } from "./graphTrace";
import type { TraceDetail } from "../../core/monitor/interval";
import type { MessageTraceCache } from "./messageTrace";
import type { SharedFlight } from "./sharedFlight";
import { SingleFlight } from "./singleFlight";

/**
 * GET /api/status (the contract's StatusResponse): every read at once (the tenant's objects, the
 * message trace, the last connector validation), then the core's per-resource status against the
 * applied setup.
 */
export class StatusService {
  /** Readers of one tenant asking at the same moment share one read of the tenant. */
  private readonly reads = new SingleFlight<ObservedRead>();

  constructor(
    private readonly store: Store,
    private readonly runners: ExchangeRunnerFactory,
    private readonly traces: MessageTraceCache,
    /** Graph's message trace, tried first; without it (or when Graph refuses) Get-MessageTraceV2. */
    private readonly graphTrace?: GraphTraceSource,
    /** Several instances on one database: the shared read holds across them (issue 16 §2). */
    private readonly acrossInstances?: SharedFlight<ObservedRead>,
  ) {}

  /** The observed state for a caller who may read the tenant (shared with concurrent readers). */
  readTenant(principal: Principal, groupAddresses: readonly string[]): Promise<ObservedRead> {
    // Callers admitted by an Entra role share a read; anyone else reads with their own rights only.
    const who = canRead(principal) ? "" : `${principal.oid}/`;
    const groups = [...groupAddresses]
      .map((a) => a.toLowerCase())
      .sort()
      .join(",");
    const read = (): Promise<ObservedRead> => readObservedState(this.runners.forPrincipal(principal), groupAddresses);
    if (who === "" && this.acrossInstances) return this.acrossInstances.run(principal.tenantId, `read/${groups}`, read);
    return this.reads.run(`${principal.tenantId}/${who}${groups}`, read);
  }

  async status(principal: Principal): Promise<StatusResponse> {
    return (await this.statusWithRead(principal)).status;
  }

  /**
   * The status with the tenant read it came from and the setup it was compared with (the monitor
   * also checks the regional lists' members against the directory, without reading the tenant again).
   */
  async statusWithRead(principal: Principal): Promise<{
    status: StatusResponse;
    read: ObservedRead;
    setup: ResolvedSetup | undefined;
    /** The trace read's detail (per minute, NDR mailbox rows): the monitor's interval counts. */
    traceDetail: TraceDetail | null;
  }> {
    const tenant = this.store.forTenant(principal.tenantId);
    const current = await currentDesired(tenant);
    const addresses = current ? current.setup.targets.map((t) => t.journalingAddress) : [];
    const [read, trace] = await Promise.all([
      this.readTenant(principal, current ? desiredGroupAddresses(current.desired) : []),
      this.traces.read(
        tenant,
        addresses,
        this.runners.forPrincipal(principal),
        this.graphTrace?.forPrincipal(principal),
        current?.setup.ndrMailbox,
      ),
    ]);
    const messageTrace = trace.summary;
    let resources: readonly ResourceStatus[] = [];
    if (current) {
      const result = planSetup(current.desired, read.observed);
      if (result.ok) resources = result.status;
    }
    // "Paused since <time> by <who>": the audit knows who ran Disable-JournalRule on the setup's rules.
    let paused: PauseRecord | undefined;
    if (current?.setup.state === "paused") {
      const rules = resources.filter((r) => r.kind === "journalRule" && r.identity).map((r) => r.identity ?? "");
      paused = pauseFromAudit(await tenant.audit(), rules);
    }
    const targets = current
      ? current.setup.targets.map((t) => ({ key: t.region.id, journalingAddress: t.journalingAddress }))
      : [];
    const status: StatusResponse = {
      resources,
      connectorValidation: (await tenant.lastFinishedValidation()) ?? null,
      messageTrace,
      checkedAt: read.readAt,
      hasSetup: current !== undefined,
      findings: deliveryFindings(targets, resources, messageTrace.perAddress),
      ...(current ? { setupState: current.setup.state } : {}),
      ...(paused ? { paused } : {}),
    };
    return { status, read, setup: current?.setup, traceDetail: trace.detail };
  }
}
