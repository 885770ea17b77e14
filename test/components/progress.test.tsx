/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { AuditEntry, BackendApi, ProgressDocument, StatusResponse } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import type { SetupDraft } from "../../src/components/setup/draft";
import ProgressView from "../../src/components/ProgressView/ProgressView";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

const LINK = "https://pane.test/#/progress";

const draft: SetupDraft = {
  customer: "contoso",
  scope: "everyone",
  everyoneRegion: "us",
  regions: [],
  ndrMailbox: "journal-ndr@contoso.com",
};

function doc(over: Partial<ProgressDocument<SetupDraft>> = {}): ProgressDocument<SetupDraft> {
  return {
    draft,
    steps: { check: "done", address: "done" },
    version: 3,
    updatedBy: "exchange.admin@contoso.com",
    updatedAt: "2026-01-02T10:05:00Z",
    history: [
      { at: "2026-01-02T10:00:00Z", by: "admin@contoso.com", what: "finished Check" },
      { at: "2026-01-02T10:05:00Z", by: "exchange.admin@contoso.com", what: "set the customer name to contoso" },
    ],
    ...over,
  };
}

/** A promise the test settles when it wants to; settle() resolves it and returns it, for act() to await. */
function deferred<T>(): { promise: Promise<T>; settle: (v: T) => Promise<T> } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((res) => (resolve = res));
  return {
    promise,
    settle: (v) => {
      resolve(v);
      return promise;
    },
  };
}

const NOTHING_APPLIED: StatusResponse = {
  resources: [],
  connectorValidation: null,
  messageTrace: { asOf: "2026-01-02T10:05:00Z", ageSeconds: 0, perAddress: [] },
  checkedAt: "2026-01-02T10:05:00Z",
  hasSetup: false,
};

function renderProgress(
  getProgress: () => Promise<ProgressDocument<unknown>>,
  copyText: (text: string) => Promise<void> = () => Promise.resolve(),
  more: Partial<BackendApi> = {},
): void {
  const s = services({
    backend: {
      getProgress: getProgress as never,
      status: () => Promise.resolve(NOTHING_APPLIED),
      audit: () => Promise.resolve({ entries: [] }),
      ...more,
    },
  });
  render(
    <Wrap value={{ ...s, host: { ...s.host, copyText } }}>
      <ProgressView />
    </Wrap>,
  );
}

describe("Shared progress", () => {
  it("shows a skeleton while loading, then where the setup stands and the choices so far", async () => {
    const answer = deferred<ProgressDocument<unknown>>();
    renderProgress(() => answer.promise);
    expect(screen.getByRole("progressbar", { name: "Loading the shared progress" })).toBeInTheDocument();

    await act(() => answer.settle(doc()));
    const view = screen.getByRole("region", { name: "Setup progress" });
    expect(view).toHaveTextContent(/Next: Where mail is processed\. 2 of 7 steps done/);
    expect(view).toHaveTextContent(/last change by exchange\.admin@contoso\.com/);
    const steps = within(within(view).getByRole("list", { name: "Steps" })).getAllByRole("listitem");
    expect(steps.map((li) => li.textContent)).toEqual([
      "Done 1. Check",
      "Done 2. Service address",
      "To do 3. Where mail is processed",
      "To do 4. Undeliverable reports",
      "To do 5. Review",
      "To do 6. Apply",
      "To do 7. Status",
    ]);
    // Each choice is a term and its definition.
    const choice = (term: string): string | null | undefined =>
      within(view)
        .getAllByRole("term")
        .find((t) => t.textContent === term)?.nextElementSibling?.textContent;
    expect(choice("Customer name")).toBe("contoso");
    // Step 3 is not done: the draft's region is only the default, so no address is shown as chosen.
    expect(choice("Journaling")).toBe("not chosen yet: the address depends on the region chosen in step 3");
    expect(choice("Undeliverable reports")).toBe("journal-ndr@contoso.com");
  });

  it("shows the journaling address once step 3 is done", async () => {
    renderProgress(() => Promise.resolve(doc({ steps: { check: "done", address: "done", where: "done" } })));
    const view = await screen.findByRole("region", { name: "Setup progress" });
    const journaling = within(view)
      .getAllByRole("term")
      .find((t) => t.textContent === "Journaling")?.nextElementSibling;
    expect(journaling).toHaveTextContent("United States: contoso@journaling.mxrecord.io");
  });

  it("lists who did what, newest first", async () => {
    renderProgress(() => Promise.resolve(doc()));
    const history = await screen.findByRole("list", { name: "History" });
    const entries = within(history).getAllByRole("listitem");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent(/exchange\.admin@contoso\.com set the customer name to contoso$/);
    expect(entries[1]).toHaveTextContent(/admin@contoso\.com finished Check$/);
  });

  it("says the setup is applied once it is (Status counts as done then)", async () => {
    renderProgress(() =>
      Promise.resolve(
        doc({
          steps: { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" },
        }),
      ),
    );
    const view = await screen.findByRole("region", { name: "Setup progress" });
    expect(view).toHaveTextContent(/The setup is applied\. 7 of 7 steps done/);
    expect(within(view).queryByText("To do")).not.toBeInTheDocument();
  });

  it("says nothing was done yet on a fresh tenant", async () => {
    renderProgress(() =>
      Promise.resolve({ draft: null, steps: {}, version: 0, updatedBy: null, updatedAt: null, history: [] }),
    );
    const view = await screen.findByRole("region", { name: "Setup progress" });
    expect(view).toHaveTextContent(/Next: Check\. 0 of 7 steps done/);
    expect(within(view).getByText("Nothing yet.")).toBeInTheDocument();
    expect(within(view).queryByText("Choices so far")).not.toBeInTheDocument();
  });

  it("copies the link to this view and says so", async () => {
    const copyText = jest.fn((_text: string) => Promise.resolve());
    renderProgress(() => Promise.resolve(doc()), copyText);
    await userEvent.click(await screen.findByRole("button", { name: "Copy link" }));
    expect(copyText).toHaveBeenCalledWith(LINK);
    expect(screen.getByRole("button", { name: "Link copied" })).toBeInTheDocument();
    expect(screen.getByText("The link to this view is on the clipboard.")).toBeInTheDocument();
  });

  it("shows the link to copy by hand when the browser refuses the clipboard", async () => {
    renderProgress(
      () => Promise.resolve(doc()),
      () => Promise.reject(new Error("NotAllowedError")),
    );
    await userEvent.click(await screen.findByRole("button", { name: "Copy link" }));
    expect(await screen.findByText("Couldn't copy")).toBeInTheDocument();
    expect(screen.getByText(/Select the text and copy it with Ctrl\+C/)).toBeInTheDocument();
    const field = screen.getByRole("textbox", { name: "Link to this view" });
    expect(field).toHaveValue(LINK);
    expect(field).toHaveAttribute("readonly");
    expect(screen.getByRole("button", { name: "Copy link" })).toBeInTheDocument();
  });

  it("says what to do when loading fails, and Try again loads it", async () => {
    const getProgress = jest
      .fn<Promise<ProgressDocument<unknown>>, []>()
      .mockRejectedValueOnce(new PaneError("network_unreachable", "offline"))
      .mockResolvedValueOnce(doc());
    renderProgress(getProgress);
    expect(await screen.findByText("Can't reach the service")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("region", { name: "Setup progress" })).toHaveTextContent(/2 of 7 steps done/);
  });

  it("keeps the progress on screen when a refresh fails", async () => {
    const getProgress = jest
      .fn<Promise<ProgressDocument<unknown>>, []>()
      .mockResolvedValueOnce(doc())
      .mockRejectedValueOnce(new PaneError("server_error", "boom"));
    renderProgress(getProgress);
    await userEvent.click(await screen.findByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("The backend ran into a problem")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Setup progress" })).toHaveTextContent(/2 of 7 steps done/);
  });

  it("says the setup is healthy, and when that was checked", async () => {
    const checkedAt = new Date(Date.now() - 2 * 60_000).toISOString();
    renderProgress(() => Promise.resolve(doc()), undefined, {
      status: () =>
        Promise.resolve({
          ...NOTHING_APPLIED,
          hasSetup: true,
          checkedAt,
          resources: [{ kind: "transportConfig", key: "ndr", label: "NDR", state: "ok", drift: [] }],
        }),
    });
    const view = await screen.findByRole("region", { name: "Setup progress" });
    await within(view).findByText("Healthy");
    expect(view).toHaveTextContent("Healthy — checked 2 minutes ago.");
  });

  it("says a paused setup is paused, by whom, not that its rules should be removed", async () => {
    const checkedAt = new Date(Date.now() - 2 * 60_000).toISOString();
    renderProgress(() => Promise.resolve(doc()), undefined, {
      status: () =>
        Promise.resolve({
          ...NOTHING_APPLIED,
          hasSetup: true,
          checkedAt,
          setupState: "paused",
          paused: { since: "2026-11-29T10:00:00.000Z", by: "admin@contoso.com" },
          resources: [
            { kind: "transportConfig", key: "ndr", label: "NDR", state: "ok", drift: [] },
            { kind: "journalRule", key: "us", label: "Journal rule for everyone", state: "paused", drift: [] },
          ],
        }),
    });
    const view = await screen.findByRole("region", { name: "Setup progress" });
    await within(view).findByText("Paused");
    expect(view).toHaveTextContent(
      /Paused — journaling is paused since .+ by admin@contoso\.com; checked 2 minutes ago\./,
    );
    expect(view).not.toHaveTextContent("should be removed");
    expect(view).not.toHaveTextContent("Needs attention");
  });

  it("says what is wrong when the setup is not healthy, and what to do", async () => {
    renderProgress(() => Promise.resolve(doc()), undefined, {
      status: () =>
        Promise.resolve({
          ...NOTHING_APPLIED,
          hasSetup: true,
          checkedAt: new Date().toISOString(),
          resources: [
            {
              kind: "journalRule",
              key: "us",
              label: "Journal rule for everyone to contoso@journaling.mxrecord.io",
              state: "drifted",
              drift: [{ property: "Enabled", desired: true, actual: false }],
            },
          ],
          messageTrace: {
            asOf: "2026-01-02T10:05:00Z",
            ageSeconds: 0,
            perAddress: [{ address: "contoso@journaling.mxrecord.io", delivered: 4, failed: 2, hourly: [] }],
          },
        }),
    });
    const view = await screen.findByRole("region", { name: "Setup progress" });
    await within(view).findByText("Needs attention");
    expect(view).toHaveTextContent(
      "Needs attention — checked just now: Journal rule for everyone to contoso@journaling.mxrecord.io differs (Enabled); " +
        "2 journal reports failed in the last 24 hours. Next:",
    );
  });

  it("tells a user without a reader role that the health is for admins", async () => {
    renderProgress(() => Promise.resolve(doc()), undefined, {
      status: () => Promise.reject(new PaneError("forbidden_role", "no role")),
    });
    expect(
      await screen.findByText(/Only Exchange admins and readers .* can see whether the setup is healthy/),
    ).toBeInTheDocument();
  });

  it("lists what the last apply changed in Exchange, in past-tense words", async () => {
    const entry = (over: Partial<AuditEntry>): AuditEntry => ({
      at: "2026-01-02T10:10:00Z",
      by: "admin@contoso.com",
      cmdlet: "Set-TransportConfig",
      parameters: { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      outcome: "succeeded",
      runId: "r2",
      attempt: 1,
      ...over,
    });
    // Newest first, as GET /api/audit answers; an older run and a retried attempt are left out.
    const entries = [
      entry({
        cmdlet: "New-DistributionGroup",
        parameters: {
          Name: "Journaling EU",
          PrimarySmtpAddress: "journaling-eu1@contoso.com",
          Members: ["a@contoso.com", "b@contoso.com"],
        },
      }),
      entry({ cmdlet: "New-DistributionGroup", outcome: "retried", parameters: {} }),
      entry({}),
      entry({ runId: "r1", cmdlet: "Remove-JournalRule", parameters: { Identity: "Old" } }),
    ];
    renderProgress(() => Promise.resolve(doc()), undefined, { audit: () => Promise.resolve({ entries }) });
    const list = await screen.findByRole("list", { name: "Changes in Exchange" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Set the address for undeliverable reports to journal-ndr@contoso.com",
      "Created list journaling-eu1@contoso.com with 2 members",
    ]);
  });
  it("lists earlier runs, each of which can be undone, not only the latest", async () => {
    const entry = (over: Partial<AuditEntry>): AuditEntry => ({
      at: "2026-01-02T10:00:00Z",
      by: "admin@contoso.com",
      cmdlet: "Disable-JournalRule",
      parameters: { Identity: "Journal to Area 1" },
      outcome: "succeeded",
      runId: "r3",
      attempt: 1,
      ...over,
    });
    const entries = [
      entry({}),
      entry({
        runId: "r2",
        by: "exchange.admin@contoso.com",
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      }),
      entry({ runId: "r1", cmdlet: "Remove-JournalRule", parameters: { Identity: "Old" }, outcome: "failed" }),
    ];
    const undoPlan = jest.fn(() => new Promise<never>(() => undefined));
    renderProgress(() => Promise.resolve(doc()), undefined, {
      audit: () => Promise.resolve({ entries }),
      undoPlan: undoPlan as never,
    });
    const earlier = await screen.findByRole("list", { name: "Earlier runs" });
    const runs = within(earlier)
      .getAllByRole("listitem", { name: "" })
      .filter((li) => li.parentElement === earlier);
    expect(runs).toHaveLength(2);
    const summary = (li: HTMLElement | undefined): string | null | undefined =>
      li?.querySelector("summary")?.textContent;
    expect(summary(runs[0])).toMatch(/by exchange\.admin@contoso\.com: 1 change$/);
    expect(summary(runs[1])).toMatch(/by admin@contoso\.com: 1 change \(a step failed\)$/);
    await userEvent.click(runs[0]?.querySelector("summary") as HTMLElement);
    expect(within(runs[0] as HTMLElement).getByRole("list", { name: /Changes of the run of/ })).toHaveTextContent(
      "Set the address for undeliverable reports to journal-ndr@contoso.com",
    );
    await userEvent.click(within(runs[0] as HTMLElement).getByRole("button", { name: "Undo this run" }));
    expect(undoPlan).toHaveBeenCalledWith("r2");
  });
  it("says journaling was removed, not that the setup is applied, once it was removed", async () => {
    const removed: StatusResponse = { ...NOTHING_APPLIED, hasSetup: true, setupState: "removed" };
    renderProgress(
      () =>
        Promise.resolve(
          doc({ steps: { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" } }),
        ),
      undefined,
      { status: () => Promise.resolve(removed) },
    );
    const view = await screen.findByRole("region", { name: "Setup progress" });
    expect(await within(view).findByText(/^Journaling was removed\./)).toBeInTheDocument();
    expect(view).not.toHaveTextContent("The setup is applied.");
  });
});
