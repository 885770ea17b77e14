/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { DesiredStateInput } from "../../src/core/desired/schema";
import type {
  AppliedSetupResponse,
  PlanResponse,
  ProgressDocument,
  StatusResponse,
} from "../../src/services/backend/types";
import Manage from "../../src/components/Manage/Manage";
import ReadOnlyView from "../../src/components/ReadOnlyView/ReadOnlyView";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

/** The US-for-everyone setup as the wizard saved it in the shared progress. */
const PROGRESS: ProgressDocument = {
  draft: { customer: "contoso", scope: "everyone", everyoneRegion: "us", regions: [], ndrMailbox: "ndr@contoso.com" },
  steps: { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" },
  version: 3,
  updatedBy: "admin@contoso.com",
  updatedAt: "2026-01-02T00:00:00Z",
  history: [],
};

function status(over: Partial<StatusResponse> = {}): StatusResponse {
  return {
    resources: [
      {
        kind: "journalRule",
        key: "us",
        label: "Journal rule for everyone to contoso@journaling.mxrecord.io",
        state: over.setupState === "paused" ? "paused" : "ok",
        drift: [],
      },
    ],
    connectorValidation: null,
    messageTrace: { asOf: "2026-01-02T00:30:00Z", ageSeconds: 0, perAddress: [] },
    checkedAt: "2026-01-02T00:30:00Z",
    hasSetup: true,
    setupState: "active",
    ...over,
  };
}

function planFor(desired: DesiredStateInput): PlanResponse {
  const rule = "Journal US";
  const actions =
    desired.state === "removed"
      ? [
          {
            id: "a1",
            cmdlet: "Remove-JournalRule",
            parameters: { Identity: rule },
            dependsOn: [],
            reason: "The setup is removed.",
          },
        ]
      : [
          {
            id: "a1",
            cmdlet: desired.state === "paused" ? "Disable-JournalRule" : "Enable-JournalRule",
            parameters: { Identity: rule },
            dependsOn: [],
            reason: "The setup is paused.",
          },
        ];
  const keeps = desired.clearNdrAddress
    ? []
    : [{ code: "removal-keeps" as const, message: "The address for undeliverable journal reports stays." }];
  return {
    plan: { actions, warnings: desired.state === "removed" ? keeps : [] },
    planHash: `hash-${String(desired.state)}-${String(desired.clearNdrAddress ?? false)}`,
    status: [],
    script: "",
    readAt: "2026-01-02T00:30:00Z",
  };
}

const NOTHING_APPLIED: AppliedSetupResponse = { desired: null, runId: null, appliedAt: null, appliedBy: null };

function admin(s: StatusResponse, applied?: AppliedSetupResponse) {
  const plan = jest.fn((d: DesiredStateInput) => Promise.resolve(planFor(d)));
  const startRun = jest.fn(() => Promise.reject(new Error("stop here: the run is not part of this test")));
  const value = services({
    backend: {
      status: () => Promise.resolve(s),
      getProgress: (() => Promise.resolve(PROGRESS)) as never,
      appliedSetup: () => Promise.resolve(applied ?? NOTHING_APPLIED),
      plan,
      startRun,
    },
  });
  return { value, plan, startRun };
}

it("an admin pauses: the saved setup is planned with state paused, reviewed, then started with its plan hash", async () => {
  const { value, plan, startRun } = admin(status());
  render(
    <Wrap value={value}>
      <Manage />
    </Wrap>,
  );
  expect(await screen.findByText("Journaling is on")).toBeInTheDocument();
  fireEvent.click(screen.getByRole("button", { name: "Pause journaling" }));
  const apply = await screen.findByRole("button", { name: "Apply 1 change" });
  expect(plan).toHaveBeenCalledWith(expect.objectContaining({ customer: "contoso", state: "paused" }));
  expect(screen.getByRole("list", { name: "Planned changes" })).toHaveTextContent(/Journal US/);
  fireEvent.click(apply);
  await waitFor(() =>
    expect(startRun).toHaveBeenCalledWith(expect.objectContaining({ state: "paused" }), "hash-paused-false"),
  );
});

it("pausing starts from the setup last applied, not from a colleague's unapplied draft", async () => {
  const applied: DesiredStateInput = {
    version: 1,
    profile: "area1",
    customer: "contoso",
    ndrMailbox: "ndr@contoso.com",
    journaling: { everyone: { region: "eu" } },
  };
  const { value, plan } = admin(status(), {
    desired: applied,
    runId: "r1",
    appliedAt: "2026-01-01T00:00:00Z",
    appliedBy: "admin@contoso.com",
  });
  render(
    <Wrap value={value}>
      <Manage />
    </Wrap>,
  );
  fireEvent.click(await screen.findByRole("button", { name: "Pause journaling" }));
  await screen.findByRole("button", { name: "Apply 1 change" });
  // The shared draft says US for everyone; the tenant was set up for the EU.
  expect(plan).toHaveBeenCalledWith({ ...applied, state: "paused" });
});

it("a paused setup offers Resume, which plans state active", async () => {
  const { value, plan } = admin(
    status({ setupState: "paused", paused: { since: "2026-01-02T00:00:00.000Z", by: "admin@contoso.com" } }),
  );
  render(
    <Wrap value={value}>
      <Manage />
    </Wrap>,
  );
  fireEvent.click(await screen.findByRole("button", { name: "Resume journaling" }));
  await screen.findByRole("button", { name: "Apply 1 change" });
  expect(plan).toHaveBeenCalledWith(expect.objectContaining({ state: "active" }));
});

it("Remove lists what goes and what stays, and enables only once the organisation's name is typed", async () => {
  const { value, plan, startRun } = admin(status());
  render(
    <Wrap value={value}>
      <Manage />
    </Wrap>,
  );
  fireEvent.click(await screen.findByRole("button", { name: "Remove journaling" }));
  const removed = await screen.findByRole("list", { name: "Objects to remove" });
  expect(within(removed).getAllByRole("listitem")).toHaveLength(1);
  expect(screen.getByRole("list", { name: "Objects kept" })).toHaveTextContent(
    "The address for undeliverable journal reports stays.",
  );
  const remove = screen.getByRole("button", { name: "Remove journaling" });
  expect(remove).toBeDisabled();

  const name = screen.getByRole("textbox", { name: /type the organisation's display name: Contoso/ });
  fireEvent.change(name, { target: { value: "Fabrikam" } });
  expect(remove).toBeDisabled();
  expect(screen.getByText("This is not Contoso.")).toBeInTheDocument();

  // Clearing the NDR address is planned again with clearNdrAddress.
  fireEvent.click(screen.getByRole("checkbox", { name: /Also clear the address for undeliverable journal reports/ }));
  await waitFor(() => expect(plan).toHaveBeenLastCalledWith(expect.objectContaining({ clearNdrAddress: true })));
  expect(await screen.findByText("Nothing the setup made is kept.")).toBeInTheDocument();

  fireEvent.change(name, { target: { value: " contoso " } });
  const enabled = screen.getByRole("button", { name: "Remove journaling" });
  expect(enabled).toBeEnabled();
  fireEvent.click(enabled);
  await waitFor(() =>
    expect(startRun).toHaveBeenCalledWith(
      expect.objectContaining({ state: "removed", clearNdrAddress: true }),
      "hash-removed-true",
    ),
  );
});

it("a reader sees Paused since <time> by <who> and no enabled button", async () => {
  const paused = status({
    setupState: "paused",
    paused: { since: "2026-01-02T00:00:00.000Z", by: "admin@contoso.com" },
  });
  const value = services({
    canChange: false,
    backend: {
      status: () => Promise.resolve(paused),
      getProgress: (() => Promise.resolve(PROGRESS)) as never,
      appliedSetup: () => Promise.resolve(NOTHING_APPLIED),
      audit: () => Promise.resolve({ entries: [] }),
    },
  });
  render(
    <Wrap value={value}>
      <ReadOnlyView />
    </Wrap>,
  );
  const since = new Date("2026-01-02T00:00:00.000Z").toLocaleString();
  expect(await screen.findByText(`Paused since ${since} by admin@contoso.com.`)).toBeInTheDocument();
  const manage = screen.getByRole("region", { name: "Manage journaling" });
  const buttons = within(manage).getAllByRole("button");
  expect(buttons.map((b) => b.textContent)).toEqual([
    "Resume journaling",
    "Change regions or members",
    "Remove journaling",
  ]);
  for (const b of buttons) expect(b).toBeDisabled();
});

it("no Manage area while nothing was applied", async () => {
  const getProgress = jest.fn(() => Promise.resolve(PROGRESS));
  const value = services({
    backend: {
      status: () => Promise.resolve(status({ hasSetup: false, resources: [] })),
      getProgress: getProgress as never,
      appliedSetup: () => Promise.resolve(NOTHING_APPLIED),
    },
  });
  const { container } = render(
    <Wrap value={value}>
      <Manage />
    </Wrap>,
  );
  await waitFor(() => expect(getProgress).toHaveBeenCalled());
  await new Promise((r) => setTimeout(r, 0));
  expect(container.querySelector("section")).toBeNull();
});
