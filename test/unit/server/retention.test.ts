import { buildConfig, ConfigError } from "../../../src/server/config";
import type { Logger } from "../../../src/server/log";
import type { PruneCounts, RetentionCutoffs } from "../../../src/server/store/prune";
import { retentionCutoffs, startRetentionJob } from "../../../src/server/store/retention";

/** Retention settings and the periodic prune job (the deletions themselves: test/integration/server/store.test.ts). */
const required = { JA_CLIENT_ID: "11111111-2222-3333-4444-555555555555", JA_CLIENT_SECRET: "s3cret" };
const NONE: PruneCounts = { runs: 0, validations: 0, audit: 0, mailflowTests: 0, alerts: 0 };

function configError(env: Record<string, string>): ConfigError {
  try {
    buildConfig({ ...required, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("accepted");
}

test("retention keeps 400 days of everything by default; each period is a whole number of days, at least one", () => {
  expect(buildConfig(required)).toMatchObject({
    retentionRunsDays: 400,
    retentionAuditDays: 400,
    retentionMailflowTestsDays: 400,
    retentionAlertsDays: 400,
    databaseUrl: null,
  });
  expect(
    buildConfig({
      ...required,
      JA_RETENTION_RUNS_DAYS: "30",
      JA_RETENTION_AUDIT_DAYS: "2555",
      JA_RETENTION_MAILFLOW_TESTS_DAYS: "7",
      JA_RETENTION_ALERTS_DAYS: "90",
    }),
  ).toMatchObject({
    retentionRunsDays: 30,
    retentionAuditDays: 2555,
    retentionMailflowTestsDays: 7,
    retentionAlertsDays: 90,
  });
  const err = configError({
    JA_RETENTION_RUNS_DAYS: "0",
    JA_RETENTION_AUDIT_DAYS: "1.5",
    JA_RETENTION_MAILFLOW_TESTS_DAYS: "a year",
    JA_RETENTION_ALERTS_DAYS: "-3",
  });
  expect(err.errors.map((e) => e.path)).toEqual([
    "retentionRunsDays (JA_RETENTION_RUNS_DAYS)",
    "retentionAuditDays (JA_RETENTION_AUDIT_DAYS)",
    "retentionMailflowTestsDays (JA_RETENTION_MAILFLOW_TESTS_DAYS)",
    "retentionAlertsDays (JA_RETENTION_ALERTS_DAYS)",
  ]);
});

test("a database URL must be postgres://, and the error never repeats it (it holds a password and a host)", () => {
  const url = "postgres://ja:s3cret-pw@db.internal.example:5432/journaling";
  expect(buildConfig({ ...required, JA_DATABASE_URL: url }).databaseUrl).toBe(url);
  expect(buildConfig(required, { overrides: { databaseUrl: url } }).databaseUrl).toBe(url);
  for (const bad of [
    "mysql://ja:s3cret-pw@db.internal.example/journaling",
    "postgres://ja:s3cret-pw@db.internal.example",
  ]) {
    const err = configError({ JA_DATABASE_URL: bad });
    expect(err.errors[0]?.path).toBe("databaseUrl (JA_DATABASE_URL)");
    expect(err.message).not.toMatch(/s3cret-pw|db\.internal/);
  }
});

test("cutoffs are the configured number of days before now, as ISO times", () => {
  const now = Date.UTC(2026, 11, 7, 12, 0, 0);
  expect(retentionCutoffs({ runs: 400, audit: 1, mailflowTests: 30, alerts: 90 }, now)).toEqual({
    runsBefore: "2025-11-02T12:00:00.000Z",
    auditBefore: "2026-12-06T12:00:00.000Z",
    mailflowTestsBefore: "2026-11-07T12:00:00.000Z",
    alertsBefore: "2026-09-08T12:00:00.000Z",
  });
});

test("the job prunes once at start and then on every interval, survives a failed prune, and stops", async () => {
  const calls: RetentionCutoffs[] = [];
  const lines: string[] = [];
  const log = {
    debug: () => undefined,
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: () => undefined,
  } as unknown as Logger;
  let release: () => void = () => undefined;
  const third = new Promise<void>((r) => (release = r));
  const job = startRetentionJob({
    store: {
      prune: (cutoffs) => {
        calls.push(cutoffs);
        if (calls.length === 2) return Promise.reject(new Error("database went away"));
        if (calls.length === 3) release();
        return Promise.resolve(calls.length === 1 ? { ...NONE, runs: 3 } : NONE);
      },
    },
    days: { runs: 10, audit: 20, mailflowTests: 30, alerts: 40 },
    log,
    now: () => Date.UTC(2026, 0, 31),
    intervalMs: 5,
  });
  await third;
  await job.stop();
  const count = calls.length;
  await new Promise((r) => setTimeout(r, 30));
  expect(calls.length).toBe(count);
  expect(calls[0]).toEqual(
    retentionCutoffs({ runs: 10, audit: 20, mailflowTests: 30, alerts: 40 }, Date.UTC(2026, 0, 31)),
  );
  expect(lines.slice(0, 2)).toEqual([
    "info retention: deleted expired records",
    "warn retention: prune failed; it is tried again in an hour",
  ]);
});
