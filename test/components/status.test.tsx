/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ResourceStatus } from "../../src/core/plan/types";
import type { ConnectorValidation, HourlyCount, StatusResponse } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import StatusStep from "../../src/components/steps/StatusStep/StatusStep";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

const HOST = "journaling.mxrecord.io";
const ADDRESS = "contoso@journaling.mxrecord.io";

const ndr: ResourceStatus = {
  kind: "transportConfig",
  key: "ndr",
  label: "Address for undeliverable journal reports",
  state: "ok",
  drift: [],
};
const connector: ResourceStatus = {
  kind: "outboundConnector",
  key: HOST,
  label: `Outbound connector to ${HOST}`,
  state: "ok",
  drift: [],
  identity: "Deliver journal directly to Area 1",
};
const rule: ResourceStatus = {
  kind: "journalRule",
  key: "us",
  label: `Journal rule for everyone to ${ADDRESS}`,
  state: "ok",
  drift: [],
};

/** 25 hourly buckets (the backend's shape), with reports in the last three hours. */
function hourly(): HourlyCount[] {
  const start = Date.parse("2026-01-01T00:00:00Z");
  return Array.from({ length: 25 }, (_, i) => ({
    hour: new Date(start + i * 3_600_000).toISOString(),
    delivered: i >= 22 ? 4 : 0,
    failed: i === 24 ? 3 : 0,
  }));
}

function statusOf(over: Partial<StatusResponse> = {}): StatusResponse {
  return {
    resources: [ndr, connector, rule],
    connectorValidation: null,
    messageTrace: {
      asOf: "2026-01-02T00:30:00Z",
      ageSeconds: 180,
      perAddress: [{ address: ADDRESS, delivered: 12, failed: 3, hourly: hourly() }],
    },
    checkedAt: "2026-01-02T00:30:00Z",
    hasSetup: true,
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

function renderStatus(
  backend: NonNullable<Parameters<typeof services>[0]>["backend"],
  onChangeSetup = () => undefined,
): void {
  render(
    <Wrap value={services({ backend })}>
      <StatusStep onChangeSetup={onChangeSetup} />
    </Wrap>,
  );
}

function rowOf(text: RegExp): HTMLElement {
  const table = screen.getByRole("table", { name: "Parts of the setup" });
  const row = within(table)
    .getAllByRole("row")
    .find((r) => text.test(r.textContent ?? ""));
  if (!row) throw new Error(`no row matching ${String(text)}`);
  return row;
}

describe("Status: the parts of the setup", () => {
  it("shows a skeleton while checking, then each part as OK, drifted (with what differs) or missing", async () => {
    const answer = deferred<StatusResponse>();
    renderStatus({ status: () => answer.promise });
    expect(screen.getByRole("progressbar", { name: "Checking the setup" })).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();

    await act(() =>
      answer.settle(
        statusOf({
          resources: [
            ndr,
            { ...connector, state: "missing" },
            {
              ...rule,
              state: "drifted",
              drift: [
                { property: "Enabled", actual: false, desired: true },
                { property: "JournalEmailAddress", actual: "old@journaling.mxrecord.io", desired: ADDRESS },
              ],
            },
          ],
        }),
      ),
    );

    expect(screen.queryByRole("progressbar", { name: "Checking the setup" })).not.toBeInTheDocument();
    expect(screen.getByText("2 parts need attention")).toBeInTheDocument();
    expect(within(rowOf(/Address for undeliverable journal reports/)).getByText("OK")).toBeInTheDocument();
    expect(within(rowOf(/Outbound connector/)).getByText("Missing")).toBeInTheDocument();
    const ruleRow = rowOf(/Journal rule/);
    expect(within(ruleRow).getByText("Drifted")).toBeInTheDocument();
    const differs = within(ruleRow).getByRole("list", { name: /What differs in Journal rule/ });
    expect(
      within(differs)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Enabled: is false, should be true",
      `JournalEmailAddress: is old@journaling.mxrecord.io, should be ${ADDRESS}`,
    ]);
  });

  it("says everything is set up when every part is OK", async () => {
    renderStatus({ status: () => Promise.resolve(statusOf()) });
    expect(await screen.findByText("Everything is set up")).toBeInTheDocument();
    expect(screen.getAllByText("OK")).toHaveLength(3);
  });

  it("says there is nothing to check before anything was applied, and leads back to the setup", async () => {
    const onChangeSetup = jest.fn();
    renderStatus(
      {
        status: () =>
          Promise.resolve(
            statusOf({
              resources: [],
              hasSetup: false,
              messageTrace: { asOf: "2026-01-02T00:30:00Z", ageSeconds: 0, perAddress: [] },
            }),
          ),
      },
      onChangeSetup,
    );
    expect(await screen.findByText("Nothing is set up yet")).toBeInTheDocument();
    expect(screen.queryByText(/parts? needs? attention/)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Validate connector" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Change the setup" }));
    expect(onChangeSetup).toHaveBeenCalled();
  });
});

describe("Status: Check again", () => {
  it("reads again, keeping the last result on screen (no skeleton) while it checks", async () => {
    const second = deferred<StatusResponse>();
    const status = jest
      .fn<Promise<StatusResponse>, []>()
      .mockResolvedValueOnce(statusOf({ resources: [ndr, connector, { ...rule, state: "missing" }] }))
      .mockReturnValueOnce(second.promise);
    renderStatus({ status });
    expect(await screen.findByText("1 part needs attention")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Check again" }));
    expect(status).toHaveBeenCalledTimes(2);
    expect(screen.getByRole("button", { name: "Check again" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByText("1 part needs attention")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar", { name: "Checking the setup" })).not.toBeInTheDocument();

    await act(() => second.settle(statusOf()));
    expect(screen.getByText("Everything is set up")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Check again" })).not.toHaveAttribute("aria-disabled", "true");
  });

  it("says what to do when the check fails, and Check again recovers", async () => {
    const status = jest
      .fn<Promise<StatusResponse>, []>()
      .mockRejectedValueOnce(new PaneError("network_unreachable", "offline"))
      .mockResolvedValueOnce(statusOf());
    renderStatus({ status });
    expect(await screen.findByText("Can't reach the service")).toBeInTheDocument();
    expect(screen.getByText(/Check your network connection/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Check again" }));
    expect(await screen.findByText("Everything is set up")).toBeInTheDocument();
    expect(screen.queryByText("Can't reach the service")).not.toBeInTheDocument();
  });
});

describe("Status: connector validation", () => {
  afterEach(() => jest.useRealTimers());

  it("shows progress while Exchange sends the test message (polling), then that it passed", async () => {
    jest.useFakeTimers();
    const user = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
    const running: ConnectorValidation = {
      id: "v1",
      state: "running",
      requestedBy: "admin@contoso.com",
      startedAt: "2026-01-02T00:31:00Z",
      finishedAt: null,
      results: [],
    };
    const passed: ConnectorValidation = {
      ...running,
      state: "succeeded",
      requestedBy: "admin@contoso.com",
      startedAt: "2026-01-02T00:31:00Z",
      finishedAt: "2026-01-02T00:31:15Z",
      results: [{ host: HOST, ok: true, recipient: ADDRESS, connector: "Deliver journal directly to Area 1" }],
    };
    const getConnectorValidation = jest
      .fn<Promise<ConnectorValidation>, [string]>()
      .mockResolvedValueOnce(running)
      .mockResolvedValueOnce(running)
      .mockResolvedValue(passed);
    const validateConnector = jest.fn(() => Promise.resolve({ validationId: "v1" }));
    renderStatus({ status: () => Promise.resolve(statusOf()), validateConnector, getConnectorValidation });
    const section = await screen.findByRole("region", { name: "Connector validation" });
    expect(within(section).getByText(/Not validated yet/)).toBeInTheDocument();

    await user.click(within(section).getByRole("button", { name: "Validate connector" }));
    expect(await within(section).findByRole("progressbar", { name: "Validating the connector" })).toBeInTheDocument();
    expect(within(section).getByText(/this usually takes 10 to 20 seconds/)).toBeInTheDocument();
    expect(within(section).getByRole("button", { name: "Validate connector" })).toBeDisabled();

    await act(() => jest.advanceTimersByTimeAsync(1000));
    expect(within(section).getByRole("progressbar", { name: "Validating the connector" })).toBeInTheDocument();
    await act(() => jest.advanceTimersByTimeAsync(1000));

    expect(getConnectorValidation).toHaveBeenCalledTimes(3);
    expect(getConnectorValidation).toHaveBeenCalledWith("v1");
    expect(within(section).queryByRole("progressbar")).not.toBeInTheDocument();
    const results = within(section).getByRole("list", { name: "Validation results" });
    expect(within(results).getByText("Passed")).toBeInTheDocument();
    expect(results).toHaveTextContent(`${HOST} through "Deliver journal directly to Area 1"`);
    expect(results).toHaveTextContent(/by admin@contoso\.com/);
    expect(results).toHaveTextContent(`Exchange delivered a test message to ${ADDRESS}.`);
    expect(within(section).getByRole("button", { name: "Validate connector" })).toBeEnabled();
  });

  /** A finished validation of the one connector that failed with `error`. */
  function failedValidation(
    id: string,
    error: NonNullable<ConnectorValidation["results"][number]["error"]>,
  ): ConnectorValidation {
    return {
      id,
      state: "failed",
      requestedBy: "admin@contoso.com",
      startedAt: "2026-01-02T00:31:00Z",
      finishedAt: "2026-01-02T00:31:15Z",
      results: [{ host: HOST, ok: false, recipient: ADDRESS, connector: "Deliver journal directly to Area 1", error }],
    };
  }

  /** Opens the view, clicks Validate connector (which ends as `validation`) and returns the results list. */
  async function validateTo(validation: ConnectorValidation): Promise<HTMLElement> {
    renderStatus({
      status: () => Promise.resolve(statusOf()),
      validateConnector: () => Promise.resolve({ validationId: validation.id }),
      getConnectorValidation: () => Promise.resolve(validation),
    });
    const section = await screen.findByRole("region", { name: "Connector validation" });
    await userEvent.click(within(section).getByRole("button", { name: "Validate connector" }));
    return within(section).findByRole("list", { name: "Validation results" });
  }

  it("explains a failed validation and the next step (never an unreadable object)", async () => {
    const results = await validateTo(
      failedValidation("v2", { code: "validation_failed", message: `Connectivity check to ${HOST} failed` }),
    );
    expect(within(results).getByText("Failed")).toBeInTheDocument();
    expect(results).toHaveTextContent(`Connectivity check to ${HOST} failed.`);
    expect(results).toHaveTextContent(/Next:.*accepts TLS from Exchange Online.*validate again/);
    expect(results).not.toHaveTextContent("[object Object]");
  });

  it("says a validation Exchange gave no result for could not be confirmed, never that it passed", async () => {
    const results = await validateTo(
      failedValidation("v3", {
        code: "validation_unconfirmed",
        message: "Exchange ran Validate-OutboundConnector but returned no result",
      }),
    );
    expect(within(results).getByText("Not confirmed")).toBeInTheDocument();
    expect(within(results).queryByText("Passed")).not.toBeInTheDocument();
    expect(results).toHaveTextContent(
      "Could not confirm that the connector works: Exchange ran Validate-OutboundConnector but returned no result. The connector was not marked validated.",
    );
    expect(results).toHaveTextContent(/Next: Validate again; .*Exchange admin center/);
    expect(results).not.toHaveTextContent("Exchange delivered a test message");
  });

  it("shows the tenant's last validation (a colleague's) when the view opens", async () => {
    renderStatus({
      status: () =>
        Promise.resolve(
          statusOf({
            connectorValidation: {
              id: "v0",
              state: "failed",
              requestedBy: "exchange.admin@contoso.com",
              startedAt: "2026-01-02T00:19:50Z",
              finishedAt: "2026-01-02T00:20:00Z",
              results: [
                {
                  host: HOST,
                  ok: false,
                  recipient: ADDRESS,
                  connector: null,
                  error: { code: "connector_missing", message: "No outbound connector" },
                },
              ],
            },
          }),
        ),
    });
    const results = await screen.findByRole("list", { name: "Validation results" });
    expect(results).toHaveTextContent(/by exchange\.admin@contoso\.com/);
    expect(results).toHaveTextContent(/no outbound connector that sends to journaling\.mxrecord\.io/);
    expect(results).toHaveTextContent(/Next: Review and apply the setup/);
  });

  it("says what to do when the validation can't start", async () => {
    renderStatus({
      status: () => Promise.resolve(statusOf()),
      validateConnector: () => Promise.reject(new PaneError("no_setup", "There is no applied or drafted setup yet")),
    });
    const section = await screen.findByRole("region", { name: "Connector validation" });
    await userEvent.click(within(section).getByRole("button", { name: "Validate connector" }));
    expect(await within(section).findByText("Nothing to validate yet")).toBeInTheDocument();
    expect(section).toHaveTextContent(/Next:.*apply them, then validate the connector/);
    expect(within(section).getByRole("button", { name: "Validate connector" })).toBeEnabled();
  });

  it("offers no validation when the setup has no connector (reports go straight to the service)", async () => {
    renderStatus({ status: () => Promise.resolve(statusOf({ resources: [ndr, rule] })) });
    const section = await screen.findByRole("region", { name: "Connector validation" });
    expect(section).toHaveTextContent(/no outbound connector.*nothing to\s+validate/);
    expect(within(section).queryByRole("button")).not.toBeInTheDocument();
  });
});

describe("Status: journal reports in the last 24 hours", () => {
  it("draws the chart with a text alternative and the numbers per hour as a table", async () => {
    renderStatus({ status: () => Promise.resolve(statusOf()) });
    const section = await screen.findByRole("region", { name: "Journal reports, last 24 hours" });
    expect(
      within(section).getByRole("img", {
        name: `Journal reports to ${ADDRESS} in the last 24 hours: 12 delivered, 3 failed`,
      }),
    ).toBeInTheDocument();
    expect(within(section).getByText("12 delivered")).toBeInTheDocument();
    expect(within(section).getByText("3 failed")).toBeInTheDocument();

    const table = within(section).getByRole("table", { name: new RegExp(`Journal reports to ${ADDRESS} per hour`) });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3); // hours without reports are left out
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ["4", "0"],
      ["4", "0"],
      ["4", "3"],
    ]);
    expect(within(rows[0]!).getByRole("rowheader")).toHaveTextContent(/\d{1,2}[:.]00/);
    expect(section).toHaveTextContent(/failed report comes back.*Next: validate the connector/);
  });

  it("says how old the message-trace numbers are, and when they are stale", async () => {
    renderStatus({
      status: () =>
        Promise.resolve(
          statusOf({
            messageTrace: {
              ...statusOf().messageTrace,
              ageSeconds: 2 * 3600,
              stale: {
                code: "trace_budget",
                message: "Message trace was queried often in the last 5 minutes; showing the last result.",
              },
            },
          }),
        ),
    });
    const section = await screen.findByRole("region", { name: "Journal reports, last 24 hours" });
    expect(section).toHaveTextContent(/Message trace as of .*\(2 hours ago\)/);
    expect(section).toHaveTextContent(/queried often.*Next: choose Check again in a few minutes/);
  });

  it("tells minutes apart and says when there are no reports yet", async () => {
    renderStatus({
      status: () =>
        Promise.resolve(
          statusOf({
            messageTrace: {
              asOf: "2026-01-02T00:30:00Z",
              ageSeconds: 180,
              perAddress: [{ address: ADDRESS, delivered: 0, failed: 0, hourly: [] }],
            },
          }),
        ),
    });
    const section = await screen.findByRole("region", { name: "Journal reports, last 24 hours" });
    expect(section).toHaveTextContent("(3 minutes ago)");
    // No empty bars: the address, then what an empty chart means.
    expect(within(section).queryByRole("img")).not.toBeInTheDocument();
    expect(section).toHaveTextContent(
      `${ADDRESS}No journal reports in the last 24 hours yet — Exchange lists messages up to an hour late.`,
    );
    expect(within(section).queryByText(/failed report comes back/)).not.toBeInTheDocument();
  });
});

describe("Status: what next", () => {
  it("says how to confirm arrival at the service, how to test the mail flow, and how to tell the team", async () => {
    const copyText = jest.fn((_text: string) => Promise.resolve());
    const s = services({ backend: { status: () => Promise.resolve(statusOf()) } });
    render(
      <Wrap value={{ ...s, host: { ...s.host, copyText } }}>
        <StatusStep onChangeSetup={() => undefined} />
      </Wrap>,
    );
    const next = await screen.findByRole("region", { name: "What next" });
    const items = within(next).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent(
      /^Confirm that journal reports reach Cloudflare\. In the Cloud Email Security dashboard, the number of messages processed grows/,
    );
    expect(within(items[0]!).getByRole("link", { name: "Cloud Email Security dashboard" })).toHaveAttribute(
      "href",
      "https://horizon.area1security.com/",
    );
    expect(items[1]).toHaveTextContent(/Test the mail flow\. Send a test message above: .* The chart above counts/);
    expect(items[2]).toHaveTextContent(
      /Tell your team\. Nobody is told automatically until an admin turns on Keep watching/,
    );
    await userEvent.click(within(items[2]!).getByRole("button", { name: "Copy link" }));
    expect(copyText).toHaveBeenCalledWith("https://pane.test/#/progress");
    expect(within(items[2]!).getByText("The link to the shared progress is on the clipboard.")).toBeInTheDocument();
  });

  it("is left out where the page already shows the shared progress (the channel tab), and before any setup", async () => {
    const { unmount } = render(
      <Wrap value={services({ backend: { status: () => Promise.resolve(statusOf()) } })}>
        <StatusStep onChangeSetup={() => undefined} whatNext={false} />
      </Wrap>,
    );
    await screen.findByText("Everything is set up");
    expect(screen.queryByRole("region", { name: "What next" })).not.toBeInTheDocument();
    unmount();
    renderStatus({ status: () => Promise.resolve(statusOf({ resources: [], hasSetup: false })) });
    await screen.findByText("Nothing is set up yet");
    expect(screen.queryByRole("region", { name: "What next" })).not.toBeInTheDocument();
  });
});
