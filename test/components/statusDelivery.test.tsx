/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen } from "@testing-library/react";
import type { ResourceStatus } from "../../src/core/plan/types";
import type { StatusResponse } from "../../src/services/backend/types";
import StatusStep from "../../src/components/steps/StatusStep/StatusStep";
import { services, stubResizeObserver, Wrap } from "./fakes";

/**
 * The status pane on journal report delivery: queued (Pending) reports with since when, a journal
 * rule Microsoft disabled (cause first, then the re-enable step), and which message trace the numbers
 * come from.
 */

stubResizeObserver();

const ADDRESS = "contoso@journaling.mxrecord.io";
const SINCE = "2026-01-01T20:00:00Z";

function rule(enabled: boolean): ResourceStatus {
  return {
    kind: "journalRule",
    key: "us",
    label: `Journal rule for everyone to ${ADDRESS}`,
    state: enabled ? "ok" : "drifted",
    drift: enabled ? [] : [{ property: "Enabled", desired: true, actual: false }],
    identity: "Journal to Area 1 (US)",
  };
}

function statusOf(over: Partial<StatusResponse>): StatusResponse {
  return {
    resources: [rule(true)],
    connectorValidation: null,
    messageTrace: {
      asOf: "2026-01-02T00:30:00Z",
      ageSeconds: 30,
      perAddress: [{ address: ADDRESS, delivered: 0, failed: 0, pending: 7, queuedSince: SINCE, hourly: [] }],
      source: "exchange",
    },
    checkedAt: "2026-01-02T00:30:00Z",
    hasSetup: true,
    ...over,
  };
}

async function show(status: StatusResponse): Promise<void> {
  render(
    <Wrap value={services({ backend: { status: () => Promise.resolve(status) } })}>
      <StatusStep onChangeSetup={() => undefined} />
    </Wrap>,
  );
  await screen.findByText(/Numbers from/);
}

const local = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

test("queued reports: counted, with since when, and said to be refused by the service (TLS?)", async () => {
  await show(
    statusOf({ findings: [{ code: "reports-queued", address: ADDRESS, since: SINCE, pending: 7, failed: 0 }] }),
  );
  expect(screen.getByText(`Journal reports to ${ADDRESS} are queued`)).toBeInTheDocument();
  expect(
    screen.getByText(
      new RegExp(
        `Journal reports are queued since ${local(SINCE).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: the service is not accepting them \\(TLS\\?\\)`,
      ),
    ),
  ).toBeInTheDocument();
  expect(screen.getByText(/7 queued \(Pending\)/)).toBeInTheDocument();
  expect(screen.getByText(/Numbers from Exchange Online message trace \(Get-MessageTraceV2\)\./)).toBeInTheDocument();
});

test("a rule Microsoft disabled: the cause first, then fix, then re-enable", async () => {
  await show(
    statusOf({
      resources: [rule(false)],
      findings: [
        {
          code: "rule-disabled-undeliverable",
          address: ADDRESS,
          rule: "Journal to Area 1 (US)",
          since: SINCE,
          pending: 7,
          failed: 2,
        },
      ],
    }),
  );
  const bar = screen
    .getByText('Journal rule "Journal to Area 1 (US)" was most likely disabled by Microsoft')
    .closest("[class*=MessageBar], div");
  const text = bar?.parentElement?.textContent ?? "";
  expect(text).toMatch(/could not be delivered \(2 failed, 7 queued since/);
  const cause = text.indexOf("Microsoft disables a journal rule whose reports stay undeliverable");
  const fix = text.indexOf("fix the delivery first");
  const reenable = text.indexOf("re-enable the rule");
  expect(cause).toBeGreaterThan(-1);
  expect(fix).toBeGreaterThan(cause);
  expect(reenable).toBeGreaterThan(fix);
});

test("numbers from Graph say so, and a Graph refusal says why the cmdlet was used", async () => {
  await show(
    statusOf({
      messageTrace: { ...statusOf({}).messageTrace, source: "graph" },
    }),
  );
  expect(screen.getByText(/Numbers from Microsoft Graph message trace\./)).toBeInTheDocument();
});

test("a Graph refusal is named next to the source", async () => {
  await show(
    statusOf({
      messageTrace: {
        ...statusOf({}).messageTrace,
        source: "exchange",
        sourceNote:
          "Microsoft Graph message trace refused (Missing scope permissions); the numbers come from Get-MessageTraceV2.",
      },
    }),
  );
  expect(screen.getByText(/Microsoft Graph message trace refused \(Missing scope permissions\)/)).toBeInTheDocument();
});
