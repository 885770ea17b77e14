import type { ChildProcess } from "node:child_process";
import { request as httpRequest, Agent, type IncomingMessage } from "node:http";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedFabrikam } from "../src/emulator/directory/seed";
import { FABRIKAM_TENANT_ID } from "../src/emulator/directory/apps";
import type { EmulatorConfig } from "../src/emulator/config";
import { createExchangeState } from "../src/emulator/exchange";
import { stableGuid } from "../src/emulator/ids";
import { startEmulator, type RunningEmulator } from "../src/emulator/server";
import { createHttpClient } from "../src/server/net/httpClient";
import { ADMIN_URL_ENV, startCluster, stopCluster } from "../test/postgres/cluster";
import { createTestDatabase } from "../test/postgres/database";
import { startBackendProcess } from "../test/integration/server/backendProcess";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { passwordToken, type ApiResponse } from "../test/integration/server/harness";
import { percentile, report, round } from "./lib/report";

/**
 * Scale-out (issue 16): a throwaway PostgreSQL cluster, the emulator with BENCH_TENANTS (1,000)
 * tenants, latency off, and `serve` in TWO processes on one database. Mixed traffic, spread over
 * the instances round-robin as a load balancer would (GET /api/status, POST /api/plan, GET and PUT
 * /api/progress), runs for BENCH_SECONDS while BENCH_STREAMS (2,000) run event streams stay open,
 * following slow runs in BENCH_RUN_TENANTS tenants. Then the same traffic against ONE instance
 * (fresh emulator and database) for comparison. Reports errors (non-2xx other than 409
 * run_in_progress, by code), the server's own time (`app` in Server-Timing), peak RSS and CPU per
 * instance, requests/s and streams still open at the end. Budget (two instances): no errors, every
 * stream open until the end, peak RSS < 250 MB per instance.
 */
const TENANTS = Number(process.env.BENCH_TENANTS ?? "1000");
const STREAMS = Number(process.env.BENCH_STREAMS ?? "2000");
const SECONDS = Number(process.env.BENCH_SECONDS ?? "60");
/** Requests in flight at once (closed loop): the traffic client's sockets, shared by the instances. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? "64");
const RUN_TENANTS = Math.min(TENANTS, Number(process.env.BENCH_RUN_TENANTS ?? "20"));
/** Token requests to the emulator at once (each is an RS256 signature on the benchmark's own thread). */
const TOKEN_CONCURRENCY = 16;
const RSS_BUDGET_MB = 250;
/**
 * Node flags for the instances: by default the README's setting for instances serving many tenants
 * (a heap of 160 MB and small young-generation semi-spaces: the live data of 1,000 tenants and 2,000
 * streams is ~75 MB, and without a cap V8 lets a busy process grow to 300-400 MB before collecting).
 * `BENCH_NODE_OPTIONS=` (empty) measures `serve` with Node's defaults.
 */
const SERVE_NODE_OPTIONS = "--max-old-space-size=160 --max-semi-space-size=4";
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? SERVE_NODE_OPTIONS;

// Every stream is held by the admin of one of the run tenants: the abuse caps (10 per user, 200 per
// tenant) would refuse most of them, so this benchmark raises them. They are set, and reported.
const STREAMS_PER_RUN = Math.ceil(STREAMS / Math.max(1, RUN_TENANTS));
const STREAM_LIMITS = {
  JA_STREAMS_PER_USER: String(Math.max(10, STREAMS_PER_RUN)),
  JA_STREAMS_PER_TENANT: String(Math.max(200, STREAMS_PER_RUN)),
  JA_STREAMS_MAX: String(Math.max(5000, STREAMS)),
};

const usEveryone = readFileSync("examples/us-everyone.json", "utf8");

/** Copies of fabrikam (the emulator has no endpoint to add tenants); returns their domains. */
function addTenants(emulator: RunningEmulator, count: number): string[] {
  const template = JSON.stringify(seedFabrikam());
  const domains: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `scale${String(i).padStart(4, "0")}`;
    const directory = JSON.parse(
      template
        .replaceAll(FABRIKAM_TENANT_ID, stableGuid(`tenant/${name}`))
        .replaceAll("fabrikam", name)
        .replaceAll("Fabrikam", name),
    ) as ReturnType<typeof seedFabrikam>;
    emulator.state.tenants.push({
      directory,
      exchange: createExchangeState(directory, "default", { latency: "none" }),
    });
    domains.push(`${name}.com`);
  }
  return domains;
}

/** The tenant's own setup (its domain in the addresses). */
function desiredFor(domain: string): unknown {
  return JSON.parse(usEveryone.replaceAll("contoso.com", domain).replaceAll("contoso", domain.split(".")[0] ?? ""));
}

function procStat(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? "NaN");
  // /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return { peakRssMb: kb / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

function openFilesLimit(pid: number | "self" = "self"): number {
  const line = /Max open files\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
  return line?.[1] === "unlimited" ? Infinity : Number(line?.[1] ?? "NaN");
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

/** Non-2xx answers by `what: status code` (409 run_in_progress is expected: a run holds the tenant), each with one message. */
class Tally {
  readonly errors = new Map<string, { n: number; message: string }>();
  expected409 = 0;
  add(what: string, res: ApiResponse | Error): void {
    if (res instanceof Error) return this.bump(`${what}: network`, res.message);
    if (res.status >= 200 && res.status < 300) return;
    const error = (res.json as { error?: { code?: unknown; message?: unknown } }).error;
    const code = typeof error?.code === "string" ? error.code : "";
    if (res.status === 409 && code === "run_in_progress") {
      this.expected409++;
      return;
    }
    this.bump(`${what}: ${res.status} ${code}`, typeof error?.message === "string" ? error.message : res.text);
  }
  private bump(key: string, message: string): void {
    const seen = this.errors.get(key);
    this.errors.set(key, { n: (seen?.n ?? 0) + 1, message: seen?.message ?? message.slice(0, 200) });
  }
  get count(): number {
    return [...this.errors.values()].reduce((a, b) => a + b.n, 0);
  }
}

/**
 * The traffic's client: keep-alive sockets as a load balancer keeps them to its backends. Node's
 * agent closes an idle socket 1 s before the server's `Keep-Alive: timeout=5`, but a request can
 * still meet a socket the server has just closed; like a browser (and the example under
 * `request.reusedSocket` in Node's http documentation), a reset on a REUSED socket is retried once,
 * on a new one, and counted apart. A reset on a fresh socket is an error.
 */
const trafficAgent = new Agent({ keepAlive: true, maxSockets: Infinity });
let retriedResets = 0;

function callApi(
  base: string,
  method: "GET" | "POST" | "PUT",
  path: string,
  token: string,
  body?: unknown,
): Promise<ApiResponse> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const once = (fresh: boolean): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, {
        method,
        // The retry takes a new connection (agent: false), not another idle one that may be as stale.
        agent: fresh ? false : trafficAgent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(text === undefined
            ? {}
            : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }),
        },
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (req.reusedSocket && err.code === "ECONNRESET") reject(Object.assign(err, { retry: true }));
        else reject(err);
      });
      req.on("response", (res: IncomingMessage) => {
        let answer = "";
        res.setEncoding("utf8").on("data", (d: string) => (answer += d));
        res.on("error", reject);
        res.on("end", () => {
          let json: ApiResponse["json"] = {};
          try {
            json = answer ? (JSON.parse(answer) as ApiResponse["json"]) : {};
          } catch {
            json = {};
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers[k] = v;
          resolve({ status: res.statusCode ?? 0, headers, json, text: answer });
        });
      });
      req.end(text);
    });
  return once(false).catch((err: Error & { retry?: boolean }) => {
    if (!err.retry) throw err;
    retriedResets++;
    return once(true);
  });
}

interface Stream {
  status: number;
  events: number;
  endedAt: number | null;
  close(): void;
}

/** One browser tab following a run (EventSource): its own socket, open until closed. */
function openStream(agent: Agent, base: string, runId: string, token: string): Promise<Stream> {
  return new Promise((resolve) => {
    const stream: Stream = { status: 0, events: 0, endedAt: null, close: () => req.destroy() };
    const req = httpRequest(`${base}/api/runs/${runId}/events`, {
      agent,
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    });
    req.on("error", () => {
      stream.endedAt ??= performance.now();
      resolve(stream);
    });
    req.on("response", (res: IncomingMessage) => {
      stream.status = res.statusCode ?? 0;
      res.setEncoding("utf8").on("data", (d: string) => (stream.events += d.match(/^id: /gm)?.length ?? 0));
      res.on("error", () => undefined);
      res.on("close", () => (stream.endedAt ??= performance.now()));
      resolve(stream);
    });
    req.end();
  });
}

type Op = "status" | "plan" | "getProgress" | "putProgress";
/** Weights of the mix: what an open pane does (status often, progress on every step, plan on review). */
const MIX: readonly [Op, number][] = [
  ["status", 35],
  ["plan", 15],
  ["getProgress", 30],
  ["putProgress", 20],
];

function pickOp(): Op {
  let r = Math.random() * 100;
  for (const [op, w] of MIX) if ((r -= w) < 0) return op;
  return "getProgress";
}

interface Phase {
  instances: number;
  tokenSeconds: number;
  setupSeconds: number;
  streamsOpened: number;
  streamOpenSeconds: number;
  streamsRefused: Record<string, number>;
  streamsOpenAtEnd: number;
  streamEvents: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorCodes: Record<string, { n: number; message: string }>;
  expected409RunInProgress: number;
  serverOwnMsP50: number;
  serverOwnMsP99: number;
  serverOwnMsP99ByOp: Record<string, number>;
  retriedKeepAliveResets: number;
  benchEventLoopDelayMsMax: number;
  clientMsP50: number;
  clientMsP99: number;
  peakRssMb: number[];
  /** Descriptors each instance holds at the end of the traffic, and its limit (2,000 streams need sockets). */
  openFiles: string[];
  cpuSecondsDuringTraffic: number[];
  benchProcessCpuSecondsDuringTraffic: number;
}

async function phase(instances: number, adminUrl: string): Promise<Phase> {
  const dir = mkdtempSync(join(tmpdir(), "ja-scale-"));
  process.env[ADMIN_URL_ENV] = adminUrl;
  const database = await createTestDatabase();
  const emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dir, "emulator") });
  const http = createHttpClient({ extraCaPem: emulator.caPem });
  // Node's global agent has no socket cap either, but the streams get their own so the count is theirs.
  const streamAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const backends: { child: ChildProcess; url: string }[] = [];
  const streams: Stream[] = [];
  const tally = new Tally();
  try {
    const domains = addTenants(emulator, TENANTS);
    const runDomains = new Set(domains.slice(0, RUN_TENANTS));
    // Slow journal rule creation keeps the runs (and their streams) going past the traffic's end.
    for (const d of runDomains) {
      const t = emulator.state.getTenant(d);
      if (t) t.exchange.settings.latencyOverridesMs = { "New-JournalRule": (SECONDS + 120) * 1000 };
    }
    for (let i = 0; i < instances; i++) {
      backends.push(
        await startBackendProcess(emulator.config, join(dir, `backend${i}`), {
          // The added tenants are not in the emulator's configuration: these backends serve any tenant.
          JA_ALLOWED_TENANTS: "",
          JA_ANY_TENANT: "true",
          JA_DATABASE_URL: database.url,
          JA_MONITOR: "false",
          ...STREAM_LIMITS,
          ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
        }),
      );
    }
    let rr = 0;
    const next = (): string => backends[rr++ % backends.length]?.url ?? "";

    // The emulator's configuration is rebuilt on every read: take it once for the 1,000 token requests.
    const config: EmulatorConfig = emulator.config;
    let t0 = performance.now();
    const tokens = await pool(domains, TOKEN_CONCURRENCY, (d) => passwordToken(http, config, `admin@${d}`));
    const tokenSeconds = (performance.now() - t0) / 1000;

    // Each tenant has a drafted setup (status compares resources and reads the message trace).
    t0 = performance.now();
    const versions = await pool(domains, 32, async (d, i) => {
      const res = await callApi(next(), "PUT", "/api/progress", tokens[i] ?? "", {
        draft: desiredFor(d),
        steps: {},
        version: 0,
      });
      tally.add("setup progress", res);
      return Number(res.json.version ?? 0);
    });
    const runIds = await pool([...runDomains], 8, async (d, i) => {
      const token = tokens[i] ?? "";
      const base = next();
      const desired = desiredFor(d);
      const plan = await callApi(base, "POST", "/api/plan", token, { desired });
      tally.add("setup plan", plan);
      const run = await callApi(base, "POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
      tally.add("setup run", run);
      return String(run.json.runId);
    });
    const setupSeconds = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const opened = await pool(
      Array.from({ length: STREAMS }, (_, i) => i),
      50,
      (i) => openStream(streamAgent, next(), runIds[i % runIds.length] ?? "", tokens[i % runIds.length] ?? ""),
    );
    streams.push(...opened);
    const streamOpenSeconds = (performance.now() - t0) / 1000;
    const streamsRefused: Record<string, number> = {};
    for (const s of streams) if (s.status !== 200) streamsRefused[s.status] = (streamsRefused[s.status] ?? 0) + 1;

    // The traffic: CONCURRENCY callers in a closed loop, each request to the next instance.
    const progressBusy = new Set<number>();
    const samples: { op: Op; ms: number; appMs: number }[] = [];
    const cpu0 = backends.map((b) => (b.child.pid ? procStat(b.child.pid).cpuSeconds : NaN));
    const own0 = process.cpuUsage();
    retriedResets = 0;
    // The benchmark's own thread (client and emulator): a late event loop here shows as latency there.
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const started = performance.now();
    const end = started + SECONDS * 1000;
    const timed = async (op: Op, call: () => Promise<ApiResponse>): Promise<ApiResponse | undefined> => {
      const s = performance.now();
      try {
        const res = await call();
        const timing = /app;dur=([\d.]+)/.exec(res.headers["server-timing"] ?? "");
        samples.push({ op, ms: performance.now() - s, appMs: Number(timing?.[1] ?? "NaN") });
        tally.add(op, res);
        return res;
      } catch (err) {
        tally.add(op, err as Error);
        return undefined;
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const i = Math.floor(Math.random() * domains.length);
          let op = pickOp();
          // One writer of a tenant's progress at a time (as one pane would), so a 409 is a real conflict.
          if (op === "putProgress" && progressBusy.has(i)) op = "getProgress";
          const token = tokens[i] ?? "";
          const domain = domains[i] ?? "";
          if (op === "status") await timed(op, () => callApi(next(), "GET", "/api/status", token));
          else if (op === "plan")
            await timed(op, () => callApi(next(), "POST", "/api/plan", token, { desired: desiredFor(domain) }));
          else if (op === "getProgress") await timed(op, () => callApi(next(), "GET", "/api/progress", token));
          else {
            progressBusy.add(i);
            const version = versions[i] ?? 0;
            const steps = { connector: Math.random() < 0.5 ? "done" : "todo" } as const;
            const res = await timed(op, () =>
              callApi(next(), "PUT", "/api/progress", token, { draft: desiredFor(domain), steps, version }),
            );
            if (res?.status === 200) versions[i] = Number(res.json.version ?? version + 1);
            progressBusy.delete(i);
          }
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    const ownCpu = process.cpuUsage(own0);
    loopDelay.disable();
    const openFiles = backends.map((b) =>
      b.child.pid ? `${readdirSync(`/proc/${b.child.pid}/fd`).length}/${openFilesLimit(b.child.pid)}` : "?",
    );
    const stats = backends.map((b) => (b.child.pid ? procStat(b.child.pid) : { peakRssMb: NaN, cpuSeconds: NaN }));
    const app = samples.map((s) => s.appMs).filter((v) => Number.isFinite(v));
    const byOp: Record<string, number> = {};
    for (const [op] of MIX)
      byOp[op] = round(
        percentile(
          samples.filter((s) => s.op === op && Number.isFinite(s.appMs)).map((s) => s.appMs),
          99,
        ),
        2,
      );
    const errorCodes = Object.fromEntries(tally.errors);
    return {
      instances,
      tokenSeconds: round(tokenSeconds),
      setupSeconds: round(setupSeconds),
      streamsOpened: streams.filter((s) => s.status === 200).length,
      streamOpenSeconds: round(streamOpenSeconds),
      streamsRefused,
      streamsOpenAtEnd: streams.filter((s) => s.status === 200 && s.endedAt === null).length,
      streamEvents: streams.reduce((n, s) => n + s.events, 0),
      requests: samples.length,
      requestsPerSecond: round(samples.length / wall),
      errors: tally.count,
      errorCodes,
      expected409RunInProgress: tally.expected409,
      serverOwnMsP50: round(percentile(app, 50), 2),
      serverOwnMsP99: round(percentile(app, 99), 2),
      serverOwnMsP99ByOp: byOp,
      retriedKeepAliveResets: retriedResets,
      benchEventLoopDelayMsMax: round(loopDelay.max / 1e6),
      clientMsP50: round(
        percentile(
          samples.map((s) => s.ms),
          50,
        ),
      ),
      clientMsP99: round(
        percentile(
          samples.map((s) => s.ms),
          99,
        ),
      ),
      peakRssMb: stats.map((s) => round(s.peakRssMb)),
      openFiles,
      cpuSecondsDuringTraffic: stats.map((s, k) => round(s.cpuSeconds - (cpu0[k] ?? NaN), 1)),
      benchProcessCpuSecondsDuringTraffic: round((ownCpu.user + ownCpu.system) / 1e6, 1),
    };
  } finally {
    for (const s of streams) s.close();
    streamAgent.destroy();
    trafficAgent.destroy();
    await Promise.all(
      backends.map(async (b) => {
        b.child.kill("SIGTERM");
        const exited = new Promise((r) => b.child.once("exit", r));
        // Graceful shutdown hands the slow runs over; past 10 s it is not this benchmark's subject.
        const timer = setTimeout(() => b.child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    http.close();
    await emulator.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cluster = await startCluster();
  try {
    const two = await phase(2, cluster.adminUrl);
    const one = await phase(1, cluster.adminUrl);
    const streamsHeld = (p: Phase): boolean => p.streamsOpened === STREAMS && p.streamsOpenAtEnd === STREAMS;
    report(
      "scale",
      {
        tenants: TENANTS,
        streams: STREAMS,
        runTenants: RUN_TENANTS,
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        database: "postgresql (throwaway cluster, fsync off)",
        raisedLimits: STREAM_LIMITS,
        nodeOptions: NODE_OPTIONS || null,
        benchOpenFilesLimit: openFilesLimit(),
        twoInstances: two,
        oneInstance: one,
      },
      `two instances: no errors, all ${STREAMS} streams open to the end, peak RSS < ${RSS_BUDGET_MB} MB per instance`,
      two.errors === 0 && streamsHeld(two) && two.peakRssMb.every((m) => m < RSS_BUDGET_MB),
    );
  } finally {
    stopCluster(cluster);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`scale bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
