import { readFileSync } from "node:fs";
import { createOboTokenProvider } from "../src/server/auth/obo";
import { createTokenValidator } from "../src/server/auth/tokens";
import { createExchangeRunnerFactory } from "../src/server/exchange/factory";
import { TenantLimiter } from "../src/server/exchange/limiter";
import { silentLogger } from "../src/server/log";
import { createHttpClient } from "../src/server/net/httpClient";
import { startStack, waitForRun } from "../test/integration/server/harness";
import { percentile, report, round } from "./lib/report";

/**
 * GET /api/status with realistic latency against its slowest single read. Each repetition times
 * every read the status needs one after the other (the slowest is the reference), then one cold
 * status (message trace not cached). Budget: median status < 1.5 × median slowest read.
 */
const REPS = Number(process.env.BENCH_REPS ?? "5");

async function main(): Promise<void> {
  const desired = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
  // A 3 s trace cache, so each repetition's status queries the trace again (the reads in between take longer).
  const stack = await startStack({
    latency: "none",
    config: { messageTraceTtlSeconds: 3 },
    backend: { log: silentLogger, retryPolicy: {} },
  });
  const client = createHttpClient({ extraCaPem: stack.emulator.caPem });
  try {
    const token = await stack.token("admin@contoso.com");
    const plan = await stack.api("POST", "/api/plan", token, { desired });
    const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
    await waitForRun(stack, token, String(run.json.runId));
    await stack.exchangeSettings("contoso.com", { latency: "realistic" });

    const principal = await createTokenValidator(stack.config, client).validate(token);
    const runner = createExchangeRunnerFactory({
      config: stack.config,
      send: client.send,
      tokens: createOboTokenProvider(stack.config, client, silentLogger),
      limiter: new TenantLimiter(8),
    }).forPrincipal(principal);
    const now = Date.now();
    const reads: [string, Record<string, unknown>][] = [
      ["Get-OutboundConnector", {}],
      ["Get-TransportConfig", {}],
      ["Get-JournalRule", {}],
      ["Get-DistributionGroup", { ResultSize: "Unlimited" }],
      ["Get-DistributionGroupMember", { Identity: "journaling-eu@contoso.com", ResultSize: "Unlimited" }],
      ["Get-DistributionGroupMember", { Identity: "journaling-in@contoso.com", ResultSize: "Unlimited" }],
      [
        "Get-MessageTraceV2",
        {
          RecipientAddress: [
            "contoso@journaling.mailstream-eu1.mxrecord.io",
            "contoso@journaling.mailstream-bom.mxrecord.mx",
          ],
          StartDate: new Date(now - 86_400_000).toISOString(),
          EndDate: new Date(now).toISOString(),
          ResultSize: 5000,
        },
      ],
    ];
    await stack.api("GET", "/api/status", token); // warms tokens and connections
    const slowest: number[] = [];
    const status: number[] = [];
    for (let i = 0; i < REPS; i++) {
      let max = 0;
      for (const [cmdlet, params] of reads) {
        const t = performance.now();
        await runner.run(cmdlet, params as never);
        max = Math.max(max, performance.now() - t);
      }
      slowest.push(max);
      const t = performance.now();
      const res = await stack.api("GET", "/api/status", token);
      if (res.status !== 200) throw new Error(`status failed: ${res.text}`);
      status.push(performance.now() - t);
    }
    const ratio = percentile(status, 50) / percentile(slowest, 50);
    report(
      "status",
      {
        reps: REPS,
        statusMedianMs: round(percentile(status, 50)),
        slowestReadMedianMs: round(percentile(slowest, 50)),
        ratio: round(ratio, 3),
        statusMs: status.map((v) => round(v)),
        slowestReadMs: slowest.map((v) => round(v)),
      },
      "status < 1.5 x slowest single read",
      ratio < 1.5,
    );
  } finally {
    client.close();
    await stack.close();
  }
}

void main();
