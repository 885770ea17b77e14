import { randomUUID } from "node:crypto";
import type {
  ExchangeErrorCode,
  MailFlowRegionResult,
  MailFlowTest,
  MailFlowTestRequest,
  MailFlowTestStartedResponse,
} from "../../core/contract";
import { isInternal, messageVerdict, type VerdictRegion, type VerdictTraceRow } from "../../core/status/messageVerdict";
import type { TokenProvider } from "../auth/obo";
import type { Principal } from "../auth/principal";
import { ApiError, invalidRequest } from "../errors";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { Logger } from "../log";
import type { HttpSend } from "../net/httpClient";
import type { StatusService } from "../status/status";
import type { DbLike } from "../store/connection";
import { MailFlowTestStore } from "../store/mailflowTestStore";
import type { Store, TenantStore } from "../store/tenantStore";
import { currentDesired } from "../tenant/desiredSource";
import { GraphMail, GraphMailError } from "./graphMail";
import { readTenantFacts, type TenantFacts } from "./tenantFacts";
import { lookupTrace } from "./traceLookup";

/**
 * The mail-flow test (POST /api/mailflow-tests): per region of the applied setup, a real message
 * (Graph sendMail) from a member of that region's list to an external address, then message trace
 * followed until the journal report to that region's address is Delivered, Pending (the service is
 * not accepting it), missing (no rule matched: which and why, from the same verdict as the Outlook
 * answer), or time runs out.
 *
 * Who sends, and with what permission:
 * - the signed-in admin, when they are in the region's list (or the region journals everyone):
 *   delegated Mail.Send through on-behalf-of (`POST /me/sendMail`);
 * - another member (the request's `senders`, else the list's first member): `POST
 *   /users/{member}/sendMail` with the backend's own app-only token, which needs the application
 *   permission Mail.Send granted by admin consent (Exchange Online can restrict it to some mailboxes
 *   with RBAC for Applications / an application access policy). A delegated token can't send as
 *   another user without Send As on their mailbox (Graph answers ErrorSendAsDenied).
 * A message from a sender outside every list is not journaled by a rule with a recipient, and an
 * internal recipient makes the message internal, which External-scope rules don't journal: both are
 * refused up front with the reason rather than reported as a failed test.
 */
export interface AppOnlyGraph {
  /** `fresh`: skip the token cache (after admin consent a cached token lacks the new role). */
  acquire(tenantId: string, resource: "graph", fresh?: boolean): Promise<{ token: string; roles: readonly string[] }>;
}

export interface MailFlowTestOptions {
  /** How often trace is read while a test waits (each read spends one of 100 trace queries / 5 min). */
  readonly pollMs: number;
  /** When a region still without its report is given up (timedOut). */
  readonly timeoutMs: number;
  /** How long after the message shows in trace its report may take before "no report". */
  readonly reportGraceMs: number;
}

export const DEFAULT_MAILFLOW_TEST_OPTIONS: MailFlowTestOptions = {
  pollMs: 15_000,
  timeoutMs: 15 * 60_000,
  reportGraceMs: 3 * 60_000,
};

interface Plan {
  readonly region: VerdictRegion;
  readonly sender: string;
  readonly token: string;
}

export class MailFlowTester {
  private readonly running = new Set<Promise<void>>();
  private readonly recovered = new Set<string>();
  private readonly mail: GraphMail;
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly deps: {
      readonly db: DbLike;
      readonly store: Store;
      readonly runners: ExchangeRunnerFactory;
      readonly status: StatusService;
      readonly tokens: TokenProvider;
      readonly appOnly?: AppOnlyGraph;
      readonly graphUrl: string;
      readonly send: HttpSend;
      readonly log: Logger;
      readonly options?: Partial<MailFlowTestOptions>;
      readonly now?: () => number;
      readonly sleep?: (ms: number) => Promise<void>;
    },
  ) {
    this.mail = new GraphMail(deps.graphUrl, deps.send);
  }

  private get opts(): MailFlowTestOptions {
    return { ...DEFAULT_MAILFLOW_TEST_OPTIONS, ...this.deps.options };
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private sleep(ms: number): Promise<void> {
    if (this.deps.sleep) return this.deps.sleep(ms);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wakers.add(wake);
    });
  }

  /** Shutdown: tests still following trace stop at once (they are marked failed on the next start). */
  stop(): void {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
  }

  async tests(tenantId: string): Promise<MailFlowTestStore> {
    const t = new MailFlowTestStore(this.deps.db, tenantId);
    if (!this.recovered.has(tenantId)) {
      this.recovered.add(tenantId);
      await t.failStale(new Date(this.now()).toISOString());
    }
    return t;
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async start(principal: Principal, body: MailFlowTestRequest): Promise<MailFlowTestStartedResponse> {
    const tenant = this.deps.store.forTenant(principal.tenantId);
    if (!(await currentDesired(tenant))) {
      throw new ApiError(409, "no_setup", "There is no applied setup yet, so there is no journaling to test.");
    }
    const tests = await this.tests(principal.tenantId);
    const runner = this.deps.runners.forPrincipal(principal);
    const facts = await readTenantFacts(principal, tenant, this.deps.status, runner);
    const recipient = (body.recipient ?? principal.upn).trim();
    const externalOnly = facts.regions.every((r) => {
      const rule = facts.rules.find((x) => x.name.toLowerCase() === r.ruleName.toLowerCase());
      return (rule?.scope ?? "External") === "External";
    });
    if (externalOnly && isInternal(recipient, facts.acceptedDomains)) {
      throw new ApiError(
        400,
        "recipient_internal",
        `${recipient} is inside your organization, so the test message would not leave it, and the journal rules (scope External) journal only mail to or from outside. Give an external address you can read, for example a personal mailbox.`,
        { fieldErrors: [{ path: "recipient", message: "an address outside the organization's accepted domains" }] },
      );
    }
    const id = randomUUID();
    const tag = id.slice(0, 8);
    const startedAt = new Date(this.now()).toISOString();
    const regions: MailFlowRegionResult[] = [];
    const plans: Plan[] = [];
    for (const region of facts.regions) {
      const chosen = body.senders?.[region.key];
      const members = region.members;
      const inList = (upn: string): boolean =>
        members === undefined || members.some((m) => m.toLowerCase() === upn.toLowerCase());
      if (chosen !== undefined && !inList(chosen)) {
        throw invalidRequest([
          { path: `senders.${region.key}`, message: `${chosen} is not in the ${region.label ?? region.key} list` },
        ]);
      }
      const sender = chosen ?? (inList(principal.upn) ? principal.upn : members?.[0]);
      const result = {
        region: region.key,
        host: region.host,
        address: region.address,
        sender: sender ?? "",
        messageId: null,
      };
      if (sender === undefined) {
        regions.push({
          ...result,
          state: "failed",
          reason: `The ${region.label ?? region.key} list has no members, so no message can be journaled to ${region.address}.`,
        });
        continue;
      }
      regions.push({ ...result, state: "sending" });
      plans.push({ region, sender, token: `[JA-${tag}-${region.key}]` });
    }
    const test: MailFlowTest = {
      id,
      state: "running",
      startedBy: principal.upn,
      startedAt,
      finishedAt: null,
      recipient,
      regions,
    };
    await tests.create(test);
    const work = this.run(principal, tenant, tests, test, plans, facts)
      .catch(async (err: unknown) => {
        this.deps.log.error("mail-flow test crashed", { tenantId: principal.tenantId, testId: id, error: String(err) });
        const current = (await tests.get(id)) ?? test;
        await tests.update({
          ...current,
          state: "failed",
          finishedAt: new Date(this.now()).toISOString(),
          regions: current.regions.map((r) =>
            r.state === "sending" || r.state === "waiting"
              ? { ...r, state: "failed", reason: `The test stopped: ${String(err)}` }
              : r,
          ),
        });
      })
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return { testId: id };
  }

  private async run(
    principal: Principal,
    tenant: TenantStore,
    tests: MailFlowTestStore,
    test: MailFlowTest,
    plans: readonly Plan[],
    facts: TenantFacts,
  ): Promise<void> {
    let regions = [...test.regions];
    // A change shows at once in `regions`; its write is queued so the rows keep the order of the changes.
    let saving: Promise<void> = Promise.resolve();
    const set = (key: string, patch: Partial<MailFlowRegionResult>): void => {
      regions = regions.map((r) => (r.region === key ? { ...r, ...patch } : r));
      const saved = regions;
      saving = saving.then(() => tests.update({ ...test, regions: saved }));
    };
    const audit = (
      parameters: Record<string, unknown>,
      outcome: string,
      error?: { code: ExchangeErrorCode; message: string },
    ): Promise<void> =>
      tenant.addAudit({
        at: new Date(this.now()).toISOString(),
        by: principal.upn,
        byOid: principal.oid,
        ...(principal.clientAddress !== undefined ? { clientAddress: principal.clientAddress } : {}),
        cmdlet: "sendMail (mail-flow test)",
        parameters,
        outcome,
        runId: null,
        attempt: 1,
        // The audit's error codes are Exchange's; a Graph refusal to send is recorded as access_denied.
        ...(error ? { error } : {}),
      });

    // 1. Send one message per region.
    for (const p of plans) {
      const subject = `Journaling test ${p.region.label ?? p.region.key} ${p.token}`;
      const parameters = { From: p.sender, To: test.recipient, Subject: subject, Region: p.region.key };
      try {
        const self = p.sender.toLowerCase() === principal.upn.toLowerCase();
        let token: string;
        if (self) token = await this.deps.tokens.tokenFor(principal, "graph");
        else {
          const app = await this.appToken(principal.tenantId, p.sender);
          if (typeof app !== "string") {
            set(p.region.key, { state: "failed", reason: app.reason });
            await audit(parameters, "failed", { code: "access_denied", message: app.reason });
            continue;
          }
          token = app;
        }
        await this.mail.sendMail(token, self ? undefined : p.sender, {
          subject,
          text: `A test message from the Journaling Assistant, sent by ${principal.upn} to check that mail from the ${p.region.label ?? p.region.key} list is journaled to ${p.region.address}. You can delete it.`,
          to: [test.recipient],
        });
        set(p.region.key, { state: "waiting", sentAt: new Date(this.now()).toISOString() });
        await audit(parameters, "succeeded");
      } catch (err) {
        const reason =
          err instanceof GraphMailError
            ? `Graph refused to send as ${p.sender}: ${err.graphCode}: ${err.message}${err.graphCode === "ErrorSendAsDenied" ? " Sending as another member needs the backend app's application permission Mail.Send, or Send As on that mailbox." : ""}`
            : `The message could not be sent: ${(err as Error).message}`;
        set(p.region.key, { state: "failed", reason });
        await audit(parameters, "failed", { code: "access_denied", message: reason });
      }
    }

    // 2. Follow message trace until every sent message has its report (or time runs out).
    const startMs = Date.parse(test.startedAt) - 2 * 60_000;
    const deadline = this.now() + this.opts.timeoutMs;
    const seenAt = new Map<string, number>();
    const runner = this.deps.runners.forPrincipal(principal);
    const tag = plans[0]?.token.slice(0, 12);
    let throttled: ExchangeError | undefined;
    while (tag && !this.stopping && regions.some((r) => r.state === "waiting")) {
      const now = this.now();
      let rows: VerdictTraceRow[] = [];
      let wait = this.opts.pollMs;
      try {
        // One attempt per poll: a failed or throttled query waits for the next poll, not in a retry loop.
        const found = await lookupTrace(
          { subjectContains: tag, startMs, endMs: now },
          runner,
          {
            send: this.deps.send,
            graphUrl: this.deps.graphUrl,
            token: () => this.deps.tokens.tokenFor(principal, "graph"),
          },
          1,
        );
        rows = found.rows;
        throttled = undefined;
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
        // Message trace allows 100 queries per 5 minutes per tenant: wait as long as it asks.
        if (err.code === "throttled") {
          throttled = err;
          wait = Math.max(wait, err.details.retryAfterMs ?? 0);
        }
      }
      for (const p of plans) {
        const r = regions.find((x) => x.region === p.region.key);
        if (r?.state !== "waiting") continue;
        this.follow(p, r, rows, facts, now, seenAt, (patch) => set(p.region.key, patch));
      }
      if (!regions.some((r) => r.state === "waiting")) break;
      if (this.now() >= deadline) {
        for (const r of regions.filter((x) => x.state === "waiting")) {
          set(r.region, {
            state: "timedOut",
            reason: throttled
              ? `Message trace kept refusing queries (${throttled.message}); look again later in the Outlook add-in or message trace.`
              : r.messageId
                ? `Message trace showed the message but no journal report to ${r.address} within ${Math.round(this.opts.timeoutMs / 60_000)} minutes.`
                : `Message trace did not show the message within ${Math.round(this.opts.timeoutMs / 60_000)} minutes (trace data can lag); look again later in the Outlook add-in or message trace.`,
          });
        }
        break;
      }
      await saving;
      await this.sleep(Math.min(wait, Math.max(0, deadline - this.now())));
    }

    await saving;
    if (this.stopping) return;
    // 3. The result, in the audit and in the shared progress.
    const passed = regions.length > 0 && regions.every((r) => r.state === "delivered");
    const finished: MailFlowTest = {
      ...test,
      regions,
      state: passed ? "passed" : "failed",
      finishedAt: new Date(this.now()).toISOString(),
    };
    await tests.update(finished);
    const summary = regions
      .map((r) => `${r.region} ${r.state === "delivered" ? `delivered in ${r.seconds ?? 0} s` : r.state}`)
      .join("; ");
    await audit({ TestId: test.id, Recipient: test.recipient, Results: summary }, passed ? "succeeded" : "failed");
    await this.recordInProgress(
      tenant,
      principal.upn,
      `Sent a test message (${passed ? "passed" : "failed"}): ${summary}`,
    );
  }

  private follow(
    p: Plan,
    r: MailFlowRegionResult,
    rows: readonly VerdictTraceRow[],
    facts: TenantFacts,
    now: number,
    seenAt: Map<string, number>,
    set: (patch: Partial<MailFlowRegionResult>) => void,
  ): void {
    const mine = rows.filter((x) => (x.subject ?? "").includes(p.token));
    const original = mine.find(
      (x) =>
        x.recipientAddress.toLowerCase() === r.sender.toLowerCase() ||
        x.senderAddress.toLowerCase() === r.sender.toLowerCase(),
    );
    if (!original) return;
    const messageId = original.messageId ?? null;
    if (messageId && r.messageId !== messageId) set({ messageId });
    const sameMessage = rows.filter((x) => messageId !== null && x.messageId === messageId);
    const report = sameMessage.find((x) => x.recipientAddress.toLowerCase() === r.address.toLowerCase());
    const sent = r.sentAt ? Date.parse(r.sentAt) : now;
    if (report) {
      const status = report.status.toLowerCase();
      const at = report.received;
      if (status === "delivered") {
        set({ state: "delivered", reportAt: at, seconds: Math.max(0, Math.round((Date.parse(at) - sent) / 1000)) });
      } else if (status === "pending" || status === "gettingstatus") {
        set({
          state: "pending",
          reportAt: at,
          reason: `The journal report to ${r.address} is queued (Pending since ${at}): ${r.host} is not accepting it. Exchange retries it for a day; check the connector's TLS and the service's status.`,
        });
      } else if (status === "failed") {
        set({
          state: "failed",
          reportAt: at,
          reason: `The journal report to ${r.address} failed: ${r.host} did not accept it.`,
        });
      }
      return;
    }
    const first = seenAt.get(p.region.key) ?? now;
    seenAt.set(p.region.key, first);
    if (now - first < this.opts.reportGraceMs) return;
    // No report: why, in the same words as the Outlook answer (for this region only).
    const verdict = messageVerdict({
      internetMessageId: messageId ?? "(unknown)",
      // The grace for a late report is over (reportGraceMs): ask for the final word, not "not known yet".
      now: new Date(now + 24 * 3_600_000).toISOString(),
      rows: sameMessage.length > 0 ? sameMessage : [original],
      regions: [p.region],
      rules: facts.rules,
      acceptedDomains: facts.acceptedDomains,
      pausedSince: facts.pausedSince,
      searched: "mail-flow test",
    });
    const elsewhere = sameMessage.filter((x) =>
      facts.rules.some((rule) => rule.journalEmailAddress.toLowerCase() === x.recipientAddress.toLowerCase()),
    );
    set({
      state: "noReport",
      reason:
        verdict.verdict === "journaled" && elsewhere.length > 0
          ? `No journal report to ${r.address}; the message was journaled to ${elsewhere.map((x) => x.recipientAddress).join(", ")} instead.`
          : verdict.sentence,
    });
  }

  private async appToken(tenantId: string, sender: string): Promise<string | { reason: string }> {
    const need = `Sending as ${sender} (a member of the list) needs the application permission Mail.Send for the backend's app, granted by admin consent; or choose yourself as this region's sender if you are in its list.`;
    if (!this.deps.appOnly) return { reason: need };
    try {
      const hasRole = (roles: readonly string[]): boolean => roles.some((r) => r.toLowerCase() === "mail.send");
      let t = await this.deps.appOnly.acquire(tenantId, "graph");
      if (!hasRole(t.roles)) t = await this.deps.appOnly.acquire(tenantId, "graph", true);
      if (!hasRole(t.roles)) return { reason: need };
      return t.token;
    } catch (err) {
      return { reason: `${need} (The app could not get a token: ${(err as Error).message})` };
    }
  }

  private async recordInProgress(tenant: TenantStore, by: string, what: string): Promise<void> {
    await tenant.addProgressHistory({ at: new Date(this.now()).toISOString(), by, what });
  }
}
