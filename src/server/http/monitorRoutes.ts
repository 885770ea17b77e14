import type { FastifyInstance, FastifyRequest } from "fastify";
import { MONITOR_IDENTITY_NOT_READY, type AlertsResponse, type MonitorCheckStartedResponse } from "../../core/contract";
import { monitorSettingsRequestSchema } from "../monitor/requestSchema";
import { formatPath } from "../../core/errors";
import { ApiError, invalidRequest } from "../errors";
import type { MonitorScheduler } from "../monitor/scheduler";
import type { MonitorService } from "../monitor/service";
import { unsupportedMediaType } from "./errors";
import type { Principal } from "../auth/principal";
import type { GraphRelay } from "../tenant/graphRelay";
import { principalOf } from "./pipeline";

/**
 * Issue 14's routes (contract: src/core/contract/monitor.ts): the status snapshot, the monitor's
 * settings, "check now" and the alert history. Everything is scoped to the caller's tenant.
 * "admin" in the contract is the pipeline's "change" access.
 */
export interface MonitorRouteDeps {
  readonly service: MonitorService;
  /** Absent when the monitor is off in this process (JA_MONITOR=false): settings are still kept. */
  readonly scheduler?: MonitorScheduler;
  /** The directory, read on behalf of the admin: recipients must be people of the tenant. */
  readonly directory?: GraphRelay;
}

/**
 * The recipients Graph does not know as users of the caller's tenant, as field errors. Teams would
 * refuse to notify them only at the first alert, so the admin hears it now. When Graph cannot be
 * asked, the save goes ahead (the alert's delivery says who could not be told).
 */
async function unknownRecipients(
  directory: GraphRelay,
  principal: Principal,
  recipients: readonly string[],
): Promise<{ path: string; message: string }[]> {
  const answers = await Promise.all(
    recipients.map((upn) =>
      directory
        .get(
          principal,
          "users",
          new URLSearchParams({
            // OData string literals double their single quotes.
            $filter: `userPrincipalName eq '${upn.replaceAll("'", "''")}'`,
            $select: "id",
          }),
        )
        .catch(() => null),
    ),
  );
  return answers.flatMap((a, i) => {
    const value = (a?.body as { value?: unknown[] } | undefined)?.value;
    return a?.status === 200 && Array.isArray(value) && value.length === 0
      ? [{ path: `recipients[${i}]`, message: `${recipients[i]} is not a user of your organisation` }]
      : [];
  });
}

export function registerMonitorRoutes(api: FastifyInstance, deps: MonitorRouteDeps): void {
  const needs = (access: "read" | "change") => ({ config: { access } });
  const tenantIdOf = (request: FastifyRequest): string => principalOf(request).tenantId;

  api.get("/status/snapshot", needs("read"), (request) => deps.service.snapshot(tenantIdOf(request)));

  api.get("/monitor", needs("read"), (request) => deps.service.settings(tenantIdOf(request)));

  api.put("/monitor", needs("change"), async (request) => {
    if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) throw unsupportedMediaType();
    const parsed = monitorSettingsRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      throw invalidRequest(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
    }
    if (deps.directory && parsed.data.recipients?.length) {
      const unknown = await unknownRecipients(deps.directory, principalOf(request), parsed.data.recipients);
      if (unknown.length > 0) throw invalidRequest(unknown);
    }
    const result = await deps.service.update(principalOf(request), parsed.data);
    if (!result.ok) {
      const id = result.settings.identity;
      const what =
        id.state === "needsConsent"
          ? `admin consent to ${(id.missingPermissions ?? []).join(" and ") || "the app's permissions"}`
          : id.state === "needsExchangeRole"
            ? "an Exchange role for the app's service principal"
            : "a working connection to Entra ID and Exchange";
      throw new ApiError(409, MONITOR_IDENTITY_NOT_READY, `Keep watching needs ${what}: ${id.text}`, {
        ...(id.consentUrl ? { consentUrl: id.consentUrl } : {}),
      });
    }
    deps.scheduler?.kick();
    return result.settings;
  });

  api.post("/monitor/check", needs("change"), async (request, reply) => {
    if (!(await deps.service.tenant(tenantIdOf(request)).requestCheck(Date.now()))) {
      throw new ApiError(409, "invalid_request", "Keep watching is off for this tenant: turn it on first.");
    }
    deps.scheduler?.kick();
    const body: MonitorCheckStartedResponse = { queued: true };
    return reply.code(202).send(body);
  });

  api.get("/alerts", needs("read"), async (request): Promise<AlertsResponse> => {
    const alerts = (await deps.service.tenant(tenantIdOf(request)).alerts()).map(
      ({ key: _key, fingerprint: _fingerprint, ...alert }) => alert,
    );
    return { alerts };
  });
}
