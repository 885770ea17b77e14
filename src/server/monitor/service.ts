import type { AlertNotification, MonitorSettings, StatusResponse, StatusSnapshotResponse } from "../../core/contract";
import { MONITOR_INTERVAL_DEFAULT } from "../../core/contract/monitor";
import { transitions, type AlertTransition } from "../../core/monitor/alerts";
import { coverageProblems } from "../../core/monitor/coverage";
import { intervalTrace } from "../../core/monitor/interval";
import { problemsFromStatus, type Problem } from "../../core/monitor/problems";
import { nextCheckMs } from "../../core/monitor/schedule";
import { statusDeepLink } from "../../core/monitor/notification";
import type { Principal } from "../auth/principal";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { Logger } from "../log";
import type { StatusService } from "../status/status";
import type { MonitorSchedule, MonitorTenantStore, StoredAlert } from "../store/monitorStore";
import { readCoverage } from "./coverageRead";
import type { MonitorIdentityService } from "./identity";
import type { Notifier } from "./notifier";

/**
 * One monitor check of one tenant, and the settings behind it. The check computes the status with
 * the SAME StatusService code as GET /api/status (built with the app-only identity's runners and
 * the same message-trace cache, so the pane and the monitor share the trace budget), stores it as
 * the tenant's snapshot, turns it into problems (src/core/monitor/problems) and runs the alert state
 * machine (src/core/monitor/alerts): raise once, update silently, resolve with a notice.
 *
 * Message trace calls per check (the tenant's budget of 100 per 5 minutes is shared with the pane):
 * none when the shared trace cache is fresh; otherwise one Get-MessageTraceV2 for the journaling
 * addresses and the NDR mailbox together (another per 5,000 rows), or through Graph one per journaling
 * address plus one for the NDR mailbox. The interval's counts and the NDRs come from that same read
 * (src/core/monitor/interval).
 */
export interface MonitorServiceDeps {
  readonly schedule: MonitorSchedule;
  /** StatusService with the monitor's app-only runners (one code path with GET /api/status). */
  readonly status: StatusService;
  /** The monitor's app-only Exchange runners (the regional lists' coverage read). */
  readonly runners: ExchangeRunnerFactory;
  readonly identity: MonitorIdentityService;
  readonly notifier: Notifier;
  readonly teamsAppId: string;
  readonly log: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Reports that bounced are looked for over at least the last hour (the trace counts per hour). */
const MIN_RECENT_MS = 60 * 60_000;

export class MonitorService {
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly d: MonitorServiceDeps) {
    this.now = d.now ?? Date.now;
    this.random = d.random ?? Math.random;
  }

  tenant(tenantId: string): MonitorTenantStore {
    return this.d.schedule.forTenant(tenantId);
  }

  /** GET /api/status/snapshot. */
  async snapshot(tenantId: string): Promise<StatusSnapshotResponse> {
    const s = await this.tenant(tenantId).getSnapshot();
    if (!s) return { snapshot: null, checkedAt: null, ageSeconds: null, checkedBy: null };
    return {
      snapshot: s.status,
      checkedAt: s.checkedAt,
      ageSeconds: Math.max(0, Math.round((this.now() - Date.parse(s.checkedAt)) / 1000)),
      checkedBy: s.checkedBy,
    };
  }

  /**
   * Every live GET /api/status keeps its answer as the snapshot, with the monitor's last interval
   * (a live read has none): the pane still shows what the last check counted, and the next check
   * starts where that one ended.
   */
  async saveSnapshot(tenantId: string, status: StatusResponse, by: "pane" | "cli" | "monitor"): Promise<void> {
    const tenant = this.tenant(tenantId);
    const last = status.sinceLastCheck ? undefined : (await tenant.getSnapshot())?.status.sinceLastCheck;
    await tenant.putSnapshot(last ? { ...status, sinceLastCheck: last } : status, by);
  }

  /** GET /api/monitor: the settings, with the identity's state asked (cached) from Entra and Exchange. */
  async settings(tenantId: string, freshIdentity = false): Promise<MonitorSettings> {
    const s = await this.tenant(tenantId).getSettings();
    const { identity } = await this.d.identity.check(tenantId, freshIdentity);
    return {
      watching: s?.watching ?? false,
      intervalMinutes: s?.intervalMinutes ?? MONITOR_INTERVAL_DEFAULT,
      recipients: s?.recipients ?? [],
      channel: s?.channel ?? null,
      identity,
      ...(s?.enabledBy ? { enabledBy: s.enabledBy } : {}),
      ...(s?.enabledAt ? { enabledAt: s.enabledAt } : {}),
      ...(s?.lastCheckedAt ? { lastCheckedAt: s.lastCheckedAt } : {}),
      ...(s?.watching && s.nextCheckMs !== null ? { nextCheckAt: new Date(s.nextCheckMs).toISOString() } : {}),
    };
  }

  /**
   * PUT /api/monitor (validated by the route). Turning watching on schedules the first check now; a
   * changed interval reschedules. Returns false when watching is asked for and the identity is not
   * ready (the route answers 409 with what is missing).
   */
  async update(
    principal: Principal,
    body: {
      watching: boolean;
      intervalMinutes?: number | undefined;
      recipients?: readonly string[] | undefined;
      channel?: { teamId: string; channelId: string } | null | undefined;
    },
  ): Promise<{ ok: true; settings: MonitorSettings } | { ok: false; settings: MonitorSettings }> {
    const tenant = this.tenant(principal.tenantId);
    const before = await tenant.getSettings();
    if (body.watching) {
      // The admin may just have granted consent or a role: ask Entra and Exchange again.
      const { identity } = await this.d.identity.check(principal.tenantId, true);
      if (identity.state !== "ready") return { ok: false, settings: await this.settings(principal.tenantId) };
    }
    const interval = body.intervalMinutes ?? before?.intervalMinutes ?? MONITOR_INTERVAL_DEFAULT;
    const recipients =
      body.recipients !== undefined
        ? body.recipients.map((upn) => ({ upn }))
        : (before?.recipients ?? (body.channel ? [] : [{ upn: principal.upn, displayName: principal.name }]));
    const channel = body.channel === undefined ? (before?.channel ?? null) : body.channel;
    const turningOn = body.watching && !before?.watching;
    const rescheduled = turningOn || (body.watching && before?.intervalMinutes !== interval);
    await tenant.putSettings({
      watching: body.watching,
      intervalMinutes: interval,
      recipients,
      channel,
      enabledBy: turningOn ? principal.upn : (before?.enabledBy ?? null),
      enabledAt: turningOn ? new Date(this.now()).toISOString() : (before?.enabledAt ?? null),
      // The first check of a newly watched tenant runs at once (it sets the baseline).
      nextCheckMs: !body.watching ? null : rescheduled ? this.now() : (before?.nextCheckMs ?? this.now()),
    });
    return { ok: true, settings: await this.settings(principal.tenantId) };
  }

  /**
   * One check, run by the scheduler while it holds the tenant's lease (`owner`). Returns the next
   * check's time; never throws (a failed check is itself a problem to tell the admins about).
   */
  async check(tenantId: string, intervalMinutes: number, owner: string): Promise<void> {
    const tenant = this.tenant(tenantId);
    const startedMs = this.now();
    const next = nextCheckMs(startedMs, intervalMinutes, this.random());
    let checkedAt: string | null = null;
    let error: string | null = null;
    try {
      const { identity, principal } = await this.d.identity.check(tenantId);
      let problems: Problem[];
      let failed = false;
      let coverageUnknown = false;
      if (!principal) {
        failed = true;
        error = identity.text;
        problems = [checkFailed(`The monitor cannot check the tenant: ${identity.text}`, identity.state)];
      } else {
        try {
          const { status: live, read, setup, traceDetail } = await this.d.status.statusWithRead(principal);
          checkedAt = live.checkedAt;
          const recent = Math.max(intervalMinutes * 60_000, MIN_RECENT_MS);
          // The interval's counts come from the same trace read as the status (no trace call of its own).
          const previous = (await tenant.getSnapshot())?.status.sinceLastCheck;
          const status: StatusResponse = traceDetail
            ? {
                ...live,
                sinceLastCheck: intervalTrace(traceDetail, {
                  addresses: live.messageTrace.perAddress.map((a) => a.address),
                  previous,
                  intervalMs: intervalMinutes * 60_000,
                  recentMs: recent,
                }),
              }
            : // No detail (trace unavailable, nothing cached): the last interval stands, so does its alert.
              previous
              ? { ...live, sinceLastCheck: previous }
              : live;
          await tenant.putSnapshot(status, "monitor");
          problems = problemsFromStatus(status, this.now(), recent);
          if (setup && setup.state === "active") {
            try {
              const coverage = await readCoverage(this.d.runners.forPrincipal(principal), setup, read);
              if (coverage) problems.push(...coverageProblems(coverage));
            } catch (err) {
              // The lists' coverage is unknown this time: its alerts stay as they are.
              coverageUnknown = true;
              this.d.log.warn("monitor coverage read failed", { tenantId, error: (err as Error).message });
            }
          }
        } catch (err) {
          failed = true;
          error = err instanceof Error ? err.message : String(err);
          // Exchange refused: the role may have been taken away; ask again next time.
          this.d.identity.forget(tenantId);
          problems = [checkFailed(`The monitor's last check failed: ${error}`, "exchange")];
        }
      }
      // A lease that ran out meanwhile belongs to another worker now: it writes the alerts.
      if (!(await tenant.holdsLease(owner, this.now()))) return;
      // One failed check after a good one is often a blip (Entra or Exchange busy for a moment): the
      // alert is raised when the next check fails too; until then everything stays as it is.
      const blip = failed && ((await tenant.getSettings())?.lastError ?? null) === null;
      if (blip) {
        this.d.log.warn("monitor check failed once; alerting if the next one fails too", { tenantId, error });
        return;
      }
      await this.applyAlerts(tenantId, tenant, problems, (key) =>
        failed ? !key.startsWith("check-failed") : coverageUnknown && key.startsWith("region-coverage"),
      );
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      this.d.log.error("monitor check failed", { tenantId, error });
    } finally {
      await tenant.finishCheck(owner, checkedAt, next, error);
    }
  }

  private async applyAlerts(
    tenantId: string,
    tenant: MonitorTenantStore,
    problems: readonly Problem[],
    keepOpen: (key: string) => boolean,
  ): Promise<void> {
    const at = new Date(this.now()).toISOString();
    const open = await tenant.openAlerts();
    // A failed check (or read) says nothing about the other problems: they stay open until a check sees them gone.
    const list = transitions(open, problems, at, keepOpen);
    const settings = await tenant.getSettings();
    const to = { recipients: settings?.recipients ?? [], channel: settings?.channel ?? null };
    const deepLink = statusDeepLink(this.d.teamsAppId);
    for (const t of list) {
      const alert = await this.applyOne(tenant, t, at, deepLink, open);
      if (!alert || !notifies(t)) continue;
      const sent: AlertNotification[] = await this.d.notifier.send(
        tenantId,
        {
          id: alert.id,
          kind: t.kind,
          title: alert.title,
          text: alert.text,
          action: alert.action,
          deepLink: alert.deepLink,
        },
        to,
      );
      await tenant.addNotified(alert.id, sent);
    }
  }

  private async applyOne(
    tenant: MonitorTenantStore,
    t: AlertTransition,
    at: string,
    deepLink: string,
    open: readonly StoredAlert[],
  ): Promise<StoredAlert | undefined> {
    switch (t.kind) {
      case "raised":
        // undefined: another worker raised it a moment ago (the unique index); it notifies, not us.
        return await tenant.raise(t.alert, at, deepLink);
      case "updated":
        await tenant.update(t.id, t.alert, at);
        return await tenant.getAlert(t.id);
      case "resolved":
        return (await tenant.resolve(t.id, at))
          ? ((await tenant.getAlert(t.id)) ?? open.find((a) => a.id === t.id))
          : undefined;
    }
  }
}

function notifies(t: AlertTransition): boolean {
  return t.notify;
}

function checkFailed(text: string, cause: string): Problem {
  return {
    key: "check-failed",
    code: "check-failed",
    title: "The monitor cannot check journaling",
    text,
    action:
      cause === "needsConsent" || cause === "needsExchangeRole"
        ? "Open Keep watching in the Status page and follow the steps to give the app its permissions again."
        : "Check again from the Status page; if it keeps failing, look at the backend's log.",
    fingerprint: cause,
  };
}
