/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { emptyTenant } from "../../src/core/observed/types";
import type { RunEvent } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import { emptyDraft, type SetupDraft } from "../../src/components/setup/draft";
import { ServiceAddressStep } from "../../src/components/steps/ServiceAddressStep/ServiceAddressStep";
import { NdrStep } from "../../src/components/steps/NdrStep/NdrStep";
import { CheckStep } from "../../src/components/steps/CheckStep/CheckStep";
import ReviewStep from "../../src/components/steps/ReviewStep/ReviewStep";
import ApplyStep from "../../src/components/steps/ApplyStep/ApplyStep";
import type { TenantSnapshot } from "../../src/components/Wizard/Wizard.types";
import { services, usEveryoneRun, Wrap } from "./fakes";

const observed = {
  ...emptyTenant(),
  "Get-DistributionGroup": [
    { Name: "Sales", PrimarySmtpAddress: "sales@contoso.com", RecipientTypeDetails: "MailUniversalDistributionGroup" },
  ],
};
const tenant: TenantSnapshot = {
  observed,
  readAt: "2026-01-01T00:00:00Z",
  loading: false,
  error: null,
  reload: () => undefined,
};

function Stateful({
  render: renderStep,
  initial = emptyDraft(),
}: {
  render: (d: SetupDraft, u: (p: Partial<SetupDraft>) => void) => React.ReactNode;
  initial?: SetupDraft;
}) {
  const [draft, setDraft] = useState(initial);
  return <>{renderStep(draft, (p) => setDraft((d) => ({ ...d, ...p })))}</>;
}

describe("Check", () => {
  it("shows a skeleton while reading, then what the tenant has", () => {
    const { rerender } = render(
      <Wrap value={services()}>
        <CheckStep tenant={{ ...tenant, observed: null, loading: true }} />
      </Wrap>,
    );
    expect(screen.getByLabelText("Reading the tenant's Exchange settings")).toBeInTheDocument();
    rerender(
      <Wrap value={services()}>
        <CheckStep tenant={tenant} />
      </Wrap>,
    );
    expect(screen.getByText("0 of 50 allowed are used")).toBeInTheDocument();
    expect(screen.getByText(/Outbound mail goes straight to the internet/)).toBeInTheDocument();
  });

  it("says what to do when the read failed", async () => {
    const reload = jest.fn();
    render(
      <Wrap value={services()}>
        <CheckStep tenant={{ ...tenant, observed: null, error: new PaneError("network_unreachable", "x"), reload }} />
      </Wrap>,
    );
    expect(screen.getByText(/Check your network connection/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Read again" }));
    expect(reload).toHaveBeenCalled();
  });
});

describe("Service address", () => {
  it("validates as you type and shows the journaling address", async () => {
    render(
      <Wrap value={services()}>
        <Stateful
          render={(draft, update) => (
            <ServiceAddressStep draft={draft} update={update} tenant={tenant} showErrors={false} domain="contoso.com" />
          )}
        />
      </Wrap>,
    );
    const input = screen.getByRole("textbox", { name: /Customer name/ });
    await userEvent.type(input, "con toso");
    expect(screen.getByText(/no spaces/)).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, "contoso@x.com");
    expect(screen.getByText(/only the part before @/)).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, "contoso");
    expect(screen.getByText("contoso@journaling.mxrecord.io")).toBeInTheDocument();
  });

  it("before a region is chosen, says the address depends on it and shows it for each region", () => {
    render(
      <Wrap value={services()}>
        <ServiceAddressStep
          draft={{ ...emptyDraft(), customer: "contoso" }}
          update={() => undefined}
          tenant={tenant}
          showErrors={false}
          domain="contoso.com"
        />
      </Wrap>,
    );
    expect(screen.getByText(/The address depends on the region you choose in step 3/)).toBeInTheDocument();
    expect(screen.queryByText("Journal reports will go to:")).not.toBeInTheDocument();
    const list = screen.getByRole("list");
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "contoso@journaling.mxrecord.io (United States)",
      "contoso@journaling.mailstream-eu-primary.mxrecord.io (EU (Germany, US fallback))",
      "contoso@journaling.mailstream-eu1.mxrecord.io (EU only (no fallback))",
      "contoso@journaling.mailstream-bom.mxrecord.mx (India only)",
      "contoso@journaling.mailstream-india-primary.mxrecord.mx (India (US fallback))",
      "contoso@journaling.mailstream-asia.mxrecord.mx (Asia (India, Australia fallback))",
      "contoso@journaling.mailstream-syd.area1.cloudflare.net (Australia only (no fallback))",
      "contoso@journaling.mailstream-australia.area1.cloudflare.net (Australia (India, US fallback))",
    ]);
  });

  it("once the region is chosen, shows only its address", () => {
    render(
      <Wrap value={services()}>
        <ServiceAddressStep
          draft={{ ...emptyDraft(), customer: "contoso", everyoneRegion: "eu1" }}
          update={() => undefined}
          tenant={tenant}
          showErrors={false}
          domain="contoso.com"
          regionChosen
        />
      </Wrap>,
    );
    expect(screen.getByText("Journal reports will go to:")).toBeInTheDocument();
    expect(
      within(screen.getByRole("list"))
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["contoso@journaling.mailstream-eu1.mxrecord.io (EU only (no fallback))"]);
  });
});

describe("Undeliverable reports", () => {
  it("refuses a group and explains why", async () => {
    render(
      <Wrap value={services()}>
        <Stateful
          render={(draft, update) => (
            <NdrStep
              draft={draft}
              update={update}
              tenant={tenant}
              showErrors={false}
              domain="contoso.com"
              extraGroups={[]}
              onGroupsFound={() => undefined}
            />
          )}
        />
      </Wrap>,
    );
    await userEvent.type(screen.getByRole("combobox", { name: /Mailbox for undeliverable/ }), "sales@contoso.com");
    expect(await screen.findByText(/is the group "Sales".*refuses groups here/)).toBeInTheDocument();
  });

  it("offers a suggested mailbox in one click and shows the plan's warnings", async () => {
    const s = services({
      directory: {
        searchPeople: () =>
          Promise.resolve([
            {
              id: "n",
              displayName: "Journal NDR",
              mail: "journal-ndr@contoso.com",
              userPrincipalName: "journal-ndr@contoso.com",
            },
          ]),
      },
      backend: {
        plan: () =>
          Promise.resolve({
            plan: { actions: [], warnings: [{ code: "external-scope-spoofing", message: "External only." }] },
            planHash: "h",
            status: [],
            script: "",
            readAt: "2026-01-01T00:00:00Z",
          }),
      },
    });
    render(
      <Wrap value={s}>
        <Stateful
          initial={{ ...emptyDraft(), customer: "contoso" }}
          render={(draft, update) => (
            <NdrStep
              draft={draft}
              update={update}
              tenant={tenant}
              showErrors={false}
              domain="contoso.com"
              extraGroups={[]}
              onGroupsFound={() => undefined}
            />
          )}
        />
      </Wrap>,
    );
    await userEvent.click(await screen.findByRole("button", { name: /Use Journal NDR/ }));
    expect(screen.getByRole("combobox", { name: /Mailbox for undeliverable/ })).toHaveValue("journal-ndr@contoso.com");
    expect(await screen.findByText("External only.")).toBeInTheDocument();
  });
});

describe("Review", () => {
  const plan = {
    plan: {
      actions: [
        {
          id: "a1",
          cmdlet: "Set-TransportConfig",
          parameters: { JournalingReportNdrTo: "journal-ndr@contoso.com" },
          dependsOn: [],
          reason: "No address receives undeliverable journal reports yet.",
        },
      ],
      warnings: [{ code: "external-scope-spoofing" as const, message: "Spoofed mail is not journaled." }],
    },
    planHash: "abc",
    status: [],
    script: "Set-TransportConfig -JournalingReportNdrTo 'journal-ndr@contoso.com'\n",
    readAt: "2026-01-01T00:00:00Z",
  };

  it("lists warnings first, then the steps, the script, and applies the reviewed plan", async () => {
    const onApply = jest.fn();
    render(
      <Wrap value={services({ backend: { plan: () => Promise.resolve(plan) } })}>
        <ReviewStep
          draft={{ ...emptyDraft(), customer: "contoso", ndrMailbox: "journal-ndr@contoso.com" }}
          onApply={onApply}
          onBack={() => undefined}
          onGoTo={() => undefined}
        />
      </Wrap>,
    );
    const warning = await screen.findByText("Spoofed mail is not journaled.");
    const steps = screen.getByRole("list", { name: "Planned changes" });
    expect(warning.compareDocumentPosition(steps) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // What will be done, then why (the state before), then the cmdlet.
    expect(within(steps).getByRole("listitem")).toHaveTextContent(
      "Set the address for undeliverable reports to journal-ndr@contoso.com" +
        "Why: No address receives undeliverable journal reports yet." +
        "Set-TransportConfig",
    );
    await userEvent.click(screen.getByRole("tab", { name: "PowerShell" }));
    expect(screen.getByLabelText("PowerShell script")).toHaveTextContent("Set-TransportConfig");
    expect(screen.getByRole("button", { name: "Copy script" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Apply 1 change" }));
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ planHash: "abc" }));
  });

  it("sends the admin to the step that must be fixed", async () => {
    const onGoTo = jest.fn();
    const err = new PaneError("invalid_desired_state", "bad", {
      fieldErrors: [{ path: "ndrMailbox", message: "sales@contoso.com is a group" }],
    });
    render(
      <Wrap value={services({ backend: { plan: () => Promise.reject(err) } })}>
        <ReviewStep draft={emptyDraft()} onApply={() => undefined} onBack={() => undefined} onGoTo={onGoTo} />
      </Wrap>,
    );
    await userEvent.click(await screen.findByRole("button", { name: "Go to Undeliverable reports" }));
    expect(onGoTo).toHaveBeenCalledWith("ndr");
  });
});

describe("Apply", () => {
  const run = usEveryoneRun;

  it("shows live progress with retries, then the failure and what to do next", async () => {
    let emit: (e: RunEvent) => void = () => undefined;
    let finish: () => void = () => undefined;
    const getRun = jest
      .fn()
      .mockResolvedValueOnce(run)
      .mockResolvedValue({
        ...run,
        state: "failed",
        actions: [
          { ...run.actions[0]!, state: "succeeded", attempts: 1 },
          {
            ...run.actions[1]!,
            state: "failed",
            attempts: 3,
            error: { code: "not_found", message: "The group wasn't found." },
          },
        ],
      });
    const s = services({
      backend: {
        getRun,
        runEvents: (_id, onEvent) => {
          emit = onEvent;
          return new Promise<void>((r) => (finish = r));
        },
      },
    });
    render(
      <Wrap value={s}>
        <ApplyStep
          pending={null}
          runId="r1"
          onAttach={() => undefined}
          onFinished={() => undefined}
          onReview={() => undefined}
        />
      </Wrap>,
    );
    // Before the run: what will be done, never the state before it.
    await screen.findByText("Set the address for undeliverable reports to journal-ndr@contoso.com");
    expect(screen.queryByText(/No address receives/)).not.toBeInTheDocument();
    act(() =>
      emit({ type: "action-started", runId: "r1", actionId: "a1", cmdlet: "Set-TransportConfig", attempt: 1, at: "t" }),
    );
    act(() =>
      emit({
        type: "action-succeeded",
        runId: "r1",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
        at: "t",
      }),
    );
    act(() =>
      emit({
        type: "action-retried",
        runId: "r1",
        actionId: "a2",
        cmdlet: "New-JournalRule",
        attempt: 2,
        error: { code: "not_found", message: "not yet" },
        delayMs: 1000,
        at: "t",
      }),
    );
    expect(screen.getByText(/Retried: attempt 2/)).toBeInTheDocument();
    expect(screen.getByText("1 of 2 changes done")).toBeInTheDocument();
    // Done: what was done, in the past tense (the before-state sentence is gone).
    const changes = screen.getByRole("list", { name: "Changes" });
    expect(within(changes).getAllByRole("listitem")[0]).toHaveTextContent(
      /^DoneSet the address for undeliverable reports to journal-ndr@contoso\.comSet-TransportConfig$/,
    );
    expect(within(changes).getAllByRole("listitem")[1]).toHaveTextContent(
      'Creating journal rule "Journal Messages to Cloudflare Area 1" to contoso@journaling.mxrecord.io for external mail of everyone',
    );
    act(() => emit({ type: "run-finished", runId: "r1", state: "failed", at: "t" }));
    act(() => finish());
    // Failed: what failed, why and what to do, on the row; the summary names it.
    const title = 'Could not create journal rule "Journal Messages to Cloudflare Area 1"';
    // The row and the summary above Review again.
    expect(await screen.findAllByText(new RegExp(`^${title}.*everyone$`))).toHaveLength(2);
    const failedRow = within(changes).getAllByRole("listitem")[1];
    expect(failedRow).toHaveTextContent(/^Failed/);
    expect(failedRow).toHaveTextContent(/didn't see a newly created object in time.*Next: Wait a few minutes/);
    expect(screen.getAllByText(/Wait a few minutes for Exchange to replicate/)).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Review again" })).toBeInTheDocument();
  });

  it("attaches to the running run when a colleague already started one", async () => {
    const onAttach = jest.fn();
    const s = services({
      backend: {
        startRun: () => Promise.reject(new PaneError("run_in_progress", "busy", { startedBy: "ethan" })),
        activeRun: () => Promise.resolve(run),
      },
    });
    render(
      <Wrap value={s}>
        <ApplyStep
          pending={{ desired: { version: 1 } as never, planHash: "h" }}
          runId={null}
          onAttach={onAttach}
          onFinished={() => undefined}
          onReview={() => undefined}
        />
      </Wrap>,
    );
    await waitFor(() => expect(onAttach).toHaveBeenCalledWith("r1"));
  });
});
