import { readFileSync } from "node:fs";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * Two admins share a tenant: the regional lists one of them created belong to that one in Exchange
 * (ManagedBy defaults to the creator), and Exchange refuses member changes by anyone else unless
 * the call carries -BypassSecurityGroupManagerCheck. The second admin must still be able to edit them.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as {
  journaling: { regions: { region: string; group: { address: string; members: string[] } }[] };
};
const FIRST = "admin@contoso.com";
const SECOND = "exchange.admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function apply(upn: string, desired: unknown): Promise<{ state: string; actions: ActionView[] }> {
  const token = await stack.token(upn);
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  expect(plan.status).toBe(200);
  const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  const done = await waitForRun(stack, token, String(run.json.runId));
  return done.json as unknown as { state: string; actions: ActionView[] };
}

interface ActionView {
  cmdlet: string;
  state: string;
  error?: { code: string; message: string };
}

test("a second admin changes the members of a regional list the first admin created", async () => {
  const first = await apply(FIRST, euIndia);
  expect(first.state).toBe("succeeded");
  // Exchange made the creator the list's only owner.
  const contoso = stack.emulator.state.getTenant("contoso.com");
  const eu = contoso?.directory.groups.find((g) => g.mail === "journaling-eu@contoso.com");
  expect(eu && contoso?.exchange.groupExtras[eu.id]?.ManagedBy).toEqual(["admin"]);

  // The second admin moves Camille out of the EU list and Lena in.
  const edited = structuredClone(euIndia);
  const region = edited.journaling.regions.find((r) => r.region === "eu1");
  if (!region) throw new Error("no eu1 region in the example");
  region.group.members = ["anna.schmidt@contoso.com", "jonas.becker@contoso.com", "lena.fischer@contoso.com"];
  const second = await apply(SECOND, edited);
  expect(second.actions.map((a) => ({ cmdlet: a.cmdlet, state: a.state, error: a.error?.message }))).toEqual([
    { cmdlet: "Add-DistributionGroupMember", state: "succeeded", error: undefined },
    { cmdlet: "Remove-DistributionGroupMember", state: "succeeded", error: undefined },
  ]);
  expect(second.state).toBe("succeeded");

  const token = await stack.token(SECOND);
  const replan = await stack.api("POST", "/api/plan", token, { desired: edited });
  expect((replan.json.plan as { actions: unknown[] }).actions).toEqual([]);
  const state = await stack.api("GET", "/api/tenant/state", token);
  const members = (state.json["Get-DistributionGroupMember"] as Record<string, { PrimarySmtpAddress: string }[]>)[
    "journaling-eu@contoso.com"
  ];
  expect(members?.map((m) => m.PrimarySmtpAddress).sort()).toEqual([
    "anna.schmidt@contoso.com",
    "jonas.becker@contoso.com",
    "lena.fischer@contoso.com",
  ]);
});
