import { randomUUID } from "node:crypto";
import { findConnectorForHost, outboundConnectorSchema, type OutboundConnector } from "../../core";
import type { ConnectorValidationResult, ValidationStartedResponse } from "../../core/contract";
import type { Principal } from "../auth/principal";
import { ApiError } from "../errors";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { AttemptReport, ExchangeRunner } from "../exchange/runner";
import type { Logger } from "../log";
import type { Store, TenantStore } from "../store/tenantStore";
import { currentDesired } from "../tenant/desiredSource";

/**
 * Connector validation, as the admin center does it: Validate-OutboundConnector with the tenant's
 * journaling address (in the connector's own domain, as Exchange requires), then on success
 * Set-OutboundConnector -IsValidated $true -LastValidationTimestamp <now, UTC> -ValidationRecipients.
 * Success needs evidence: at least one result row with IsTaskSuccessful true and none false.
 * Validation takes a while (Exchange connects to the smart host), so it runs in the background
 * and the result is stored either way.
 */
export class ConnectorValidator {
  private readonly running = new Set<Promise<void>>();
  /** Tenants whose validations left running by an earlier process were already marked failed. */
  private readonly recovered = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly runners: ExchangeRunnerFactory,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Validations run in the background of one process: any still "running" in the store when this
   * process first serves the tenant was interrupted (crash, restart) and will never finish, so it is
   * marked failed instead of being polled forever. Call before serving a tenant's request.
   */
  async recoverInterrupted(tenantId: string): Promise<void> {
    if (this.recovered.has(tenantId)) return;
    this.recovered.add(tenantId);
    await this.store.forTenant(tenantId).failStaleValidations(this.now().toISOString());
  }

  async start(principal: Principal, host: string | undefined): Promise<ValidationStartedResponse> {
    await this.recoverInterrupted(principal.tenantId);
    const tenant = this.store.forTenant(principal.tenantId);
    const current = await currentDesired(tenant);
    if (!current) {
      throw new ApiError(
        409,
        "no_setup",
        "There is no applied or drafted setup yet, so there is no connector to validate.",
      );
    }
    const targets = current.setup.targets.filter(
      (t) => host === undefined || t.region.host.toLowerCase() === host.toLowerCase(),
    );
    if (targets.length === 0) {
      throw new ApiError(400, "unknown_host", `The setup has no journaling host ${JSON.stringify(host)}.`, {
        hosts: current.setup.targets.map((t) => t.region.host),
      });
    }
    const id = randomUUID();
    await tenant.createValidation({ id, requestedBy: principal.upn, startedAt: this.now().toISOString() });
    const runner = this.runners.forPrincipal(principal);
    const work = this.validate(
      principal,
      tenant,
      id,
      runner,
      targets.map((t) => ({ host: t.region.host, recipient: t.journalingAddress })),
    )
      .catch((err: unknown) => {
        this.log.error("connector validation crashed", {
          tenantId: tenant.tenantId,
          validationId: id,
          error: String(err),
        });
        return tenant.finishValidation(id, "failed", [], this.now().toISOString());
      })
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return { validationId: id };
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async validate(
    principal: Principal,
    tenant: TenantStore,
    id: string,
    runner: ExchangeRunner,
    targets: { host: string; recipient: string }[],
  ): Promise<void> {
    const connectors = (await runner.run("Get-OutboundConnector", {})).flatMap((row): OutboundConnector[] => {
      const parsed = outboundConnectorSchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    const results = await Promise.all(
      targets.map((t) => this.validateOne(principal, tenant, id, runner, connectors, t)),
    );
    await tenant.finishValidation(
      id,
      results.every((r) => r.ok) ? "succeeded" : "failed",
      results,
      this.now().toISOString(),
    );
  }

  private async validateOne(
    principal: Principal,
    tenant: TenantStore,
    validationId: string,
    runner: ExchangeRunner,
    connectors: OutboundConnector[],
    target: { host: string; recipient: string },
  ): Promise<ConnectorValidationResult> {
    const connector = findConnectorForHost(connectors, target.host);
    const base = { host: target.host, recipient: target.recipient, connector: connector?.Name ?? null };
    if (!connector) {
      return {
        ...base,
        ok: false,
        error: {
          code: "connector_missing",
          message: `No outbound connector sends to ${target.host}; apply the setup first.`,
        },
      };
    }
    const identity = connector.Identity ?? connector.Name;
    const audit =
      (cmdlet: string, parameters: Record<string, unknown>) =>
      (r: AttemptReport): Promise<void> =>
        tenant.addAudit({
          at: this.now().toISOString(),
          by: principal.upn,
          byOid: principal.oid,
          ...(principal.clientAddress !== undefined ? { clientAddress: principal.clientAddress } : {}),
          cmdlet,
          parameters,
          outcome: r.outcome === "retrying" ? "retried" : r.outcome,
          runId: null,
          attempt: r.attempt,
          ...(r.outcome !== "succeeded" ? { error: { code: r.errorCode, message: r.message } } : {}),
        });
    try {
      const validateParams = { Identity: identity, Recipients: [target.recipient] };
      const rows = await runner.run("Validate-OutboundConnector", validateParams, {
        retryNotFound: true,
        onAttempt: audit("Validate-OutboundConnector", validateParams),
      });
      const failedTask = rows.find((r) => r.IsTaskSuccessful === false);
      if (!failedTask && !rows.some((r) => r.IsTaskSuccessful === true)) {
        // Microsoft documents no output for Validate-OutboundConnector: only a row that says a check
        // succeeded is evidence. Nothing, or rows we can't read, is "could not confirm", and the
        // connector is not marked validated.
        return { ...base, ok: false, error: { code: "validation_unconfirmed", message: unconfirmedReason(rows) } };
      }
      if (failedTask) {
        // Exchange reports the reason in Details (or Error in older outputs); the task name is the fallback.
        const reason = [failedTask.Details, failedTask.Error].find(
          (v): v is string => typeof v === "string" && v !== "",
        );
        const task = typeof failedTask.TaskName === "string" ? `${failedTask.TaskName} failed` : "validation failed";
        const detail = reason ? `${task}: ${reason}` : task;
        return { ...base, ok: false, error: { code: "validation_failed", message: detail } };
      }
      const setParams = {
        Identity: identity,
        IsValidated: true,
        LastValidationTimestamp: this.now().toISOString(),
        ValidationRecipients: [target.recipient],
      };
      await runner.run("Set-OutboundConnector", setParams, {
        retryNotFound: true,
        onAttempt: audit("Set-OutboundConnector", setParams),
      });
      return { ...base, ok: true };
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      this.log.info("connector validation failed", {
        tenantId: tenant.tenantId,
        validationId,
        host: target.host,
        code: err.code,
      });
      return { ...base, ok: false, error: { code: err.code, message: err.message } };
    }
  }
}

/** Why an answer of Validate-OutboundConnector proves nothing, in words for the admin. */
function unconfirmedReason(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "Exchange ran Validate-OutboundConnector but returned no result";
  return `Exchange ran Validate-OutboundConnector but none of its ${rows.length} result${rows.length === 1 ? "" : "s"} says whether the test succeeded (no IsTaskSuccessful)`;
}
