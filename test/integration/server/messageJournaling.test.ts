import { readFileSync } from "node:fs";
import type { MessageJournaling } from "../../../src/core/contract";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * GET /api/messages/journaling over real HTTP against the emulator, after applying the EU + India
 * setup: messages placed in mailboxes through the emulator's mail flow, then the answer the Outlook
 * add-in shows: journaled (Delivered; Pending while the EU host refuses), an internal message not
 * journaled with the reason, one not in trace yet (trace lag), one older than trace keeps.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";
const EU_HOST = "journaling.mailstream-eu1.mxrecord.io";

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  const run = await stack.api("POST", "/api/runs", token, { desired: euIndia, planHash: plan.json.planHash });
  expect((await waitForRun(stack, token, String(run.json.runId))).json.state).toBe("succeeded");
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  await stack.exchangeSettings("contoso.com", { connectorValidation: {}, messageTraceLagSeconds: 0 });
});

async function place(mailbox: string, body: Record<string, unknown>): Promise<string> {
  const res = await stack.http.send({
    method: "POST",
    url: `${stack.emulator.origin}/_emulator/tenants/contoso.com/mailboxes/${mailbox}/messages`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    timeoutMs: 30_000,
  });
  expect(res.status).toBe(201);
  return (JSON.parse(res.text) as { internetMessageId: string }).internetMessageId;
}

async function ask(id: string): Promise<MessageJournaling> {
  const res = await stack.api("GET", `/api/messages/journaling?internetMessageId=${encodeURIComponent(id)}`, token);
  expect(res.status).toBe(200);
  return res.json as unknown as MessageJournaling;
}

test("a message to a member of the EU list: journaled, Delivered to the EU address and host", async () => {
  const id = await place("anna.schmidt@contoso.com", { subject: "Invoice 42" });
  const answer = await ask(id);
  expect(answer.verdict).toBe("journaled");
  expect(answer.reports).toEqual([
    expect.objectContaining({
      region: "eu1",
      host: EU_HOST,
      status: "Delivered",
      address: expect.stringMatching(/@journaling\.mailstream-eu1\.mxrecord\.io$/),
    }),
  ]);
  expect(answer.sentence).toMatch(/^Journaled: the report was delivered to EU/);
  expect(answer.message).toMatchObject({ subject: "Invoice 42", sender: "orders@northwind.example" });
});

test("while the EU host refuses the reports: journaled, Pending since when, and why", async () => {
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "tlsFailure" } });
  const id = await place("jonas.becker@contoso.com", { subject: "Invoice 43" });
  const answer = await ask(id);
  expect(answer.verdict).toBe("journaled");
  expect(answer.reports[0]).toMatchObject({ region: "eu1", status: "Pending", pendingSince: expect.any(String) });
  expect(answer.sentence).toMatch(/queued for EU .* not accepted yet/);
});

test("an internal message: not journaled, because the rules journal only external mail", async () => {
  const id = await place("anna.schmidt@contoso.com", { from: "priya.sharma@contoso.com", subject: "Lunch?" });
  const answer = await ask(id);
  expect(answer).toMatchObject({ verdict: "notJournaled", reason: "internalOnly", reports: [] });
  expect(answer.sentence).toMatch(/stayed inside the organization/);
});

test("a message to nobody in a regional list: not journaled, and which lists were looked at", async () => {
  const id = await place("louis.bernard@contoso.com", { subject: "Statement" });
  const answer = await ask(id);
  expect(answer).toMatchObject({ verdict: "notJournaled", reason: "notInAnyRegion" });
});

test("a message trace does not show yet: not known yet, with when to look again", async () => {
  await stack.exchangeSettings("contoso.com", { messageTraceLagSeconds: 600 });
  const id = await place("anna.schmidt@contoso.com", { subject: "Fresh" });
  const answer = await ask(id);
  expect(answer).toMatchObject({ verdict: "notYetKnown", reason: "traceLag", retryAfterSeconds: 60 });
});

test("a message older than 90 days in the reader's mailbox: too old for message trace", async () => {
  const id = await place(ADMIN, { subject: "Old news", daysAgo: 100 });
  const answer = await ask(id);
  expect(answer).toMatchObject({ verdict: "tooOld", reason: "olderThanTrace" });
  expect(answer.sentence).toMatch(/more than 90 days ago/);
});

test("a missing or malformed id is a 400", async () => {
  expect((await stack.api("GET", "/api/messages/journaling", token)).status).toBe(400);
  const bad = await stack.api("GET", "/api/messages/journaling?internetMessageId=not-an-id", token);
  expect([bad.status, bad.json.error?.code]).toEqual([400, "invalid_request"]);
});
