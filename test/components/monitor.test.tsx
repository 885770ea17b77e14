/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type {
  Alert,
  MonitorSettings,
  MonitorSettingsRequest,
  StatusResponse,
  StatusSnapshotResponse,
} from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import type { HostService } from "../../src/services/host";
import AlertHistory from "../../src/components/Monitor/AlertHistory";
import KeepWatching from "../../src/components/Monitor/KeepWatching";
import StatusStep from "../../src/components/steps/StatusStep/StatusStep";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

const ADDRESS = "contoso@journaling.mxrecord.io";

function statusOf(over: Partial<StatusResponse> = {}): StatusResponse {
  return {
    resources: [
      { kind: "journalRule", key: "us", label: `Journal rule for everyone to ${ADDRESS}`, state: "ok", drift: [] },
    ],
    connectorValidation: null,
    messageTrace: { asOf: "2026-01-02T00:30:00Z", ageSeconds: 0, perAddress: [] },
    checkedAt: new Date().toISOString(),
    hasSetup: true,
    ...over,
  };
}

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

const READY: MonitorSettings["identity"] = {
  clientId: "api-app-id",
  state: "ready",
  text: "The monitor's identity can read Exchange and send Teams notifications.",
};

function settingsOf(over: Partial<MonitorSettings> = {}): MonitorSettings {
  return { watching: false, intervalMinutes: 15, recipients: [], channel: null, identity: READY, ...over };
}

const megan = {
  id: "m",
  displayName: "Megan Bowen",
  mail: "megan@contoso.com",
  userPrincipalName: "megan@contoso.com",
};

describe("Status when the tab opens: the snapshot at once, then the live status", () => {
  it("shows the monitor's snapshot with its age and a quiet Checking…, then the fresh status in its place", async () => {
    const live = deferred<StatusResponse>();
    const snapshot: StatusSnapshotResponse = {
      snapshot: statusOf({ checkedAt: new Date(Date.now() - 240_000).toISOString() }),
      checkedAt: new Date(Date.now() - 240_000).toISOString(),
      ageSeconds: 240,
      checkedBy: "monitor",
    };
    render(
      <Wrap
        value={services({
          backend: { statusSnapshot: () => Promise.resolve(snapshot), status: () => live.promise },
        })}
      >
        <StatusStep onChangeSetup={() => undefined} />
      </Wrap>,
    );
    const freshness = await screen.findByTestId("status-freshness");
    expect(freshness).toHaveTextContent("Checked 4 minutes ago by the monitor.");
    expect(within(freshness).getByText("Checking…")).toBeInTheDocument();
    expect(screen.getByText("Everything is set up")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar", { name: "Checking the setup" })).not.toBeInTheDocument();

    await act(() =>
      live.settle(
        statusOf({
          resources: [
            {
              kind: "journalRule",
              key: "us",
              label: `Journal rule for everyone to ${ADDRESS}`,
              state: "drifted",
              drift: [{ property: "Enabled", actual: false, desired: true }],
            },
          ],
        }),
      ),
    );
    expect(screen.getByTestId("status-freshness")).toHaveTextContent("Checked just now.");
    expect(screen.queryByText("Checking…")).not.toBeInTheDocument();
    expect(screen.getByText("1 part needs attention")).toBeInTheDocument();
    expect(screen.queryByText("Everything is set up")).not.toBeInTheDocument();
  });

  it("shows what the monitor's last check counted per address and at the NDR mailbox, also once the live status is in", async () => {
    const live = deferred<StatusResponse>();
    const sinceLastCheck = {
      from: "2026-01-02T00:15:00.000Z",
      to: "2026-01-02T00:30:00.000Z",
      perAddress: [{ address: ADDRESS, delivered: 12, pending: 0, failed: 1 }],
      undeliverable: { address: "journal-ndr@contoso.com", count: 2, recent: 2 },
    };
    const snapshot: StatusSnapshotResponse = {
      snapshot: statusOf({ sinceLastCheck }),
      checkedAt: new Date(Date.now() - 60_000).toISOString(),
      ageSeconds: 60,
      checkedBy: "monitor",
    };
    render(
      <Wrap
        value={services({
          backend: { statusSnapshot: () => Promise.resolve(snapshot), status: () => live.promise },
        })}
      >
        <StatusStep onChangeSetup={() => undefined} />
      </Wrap>,
    );
    const lines = await screen.findByRole("list", { name: "The monitor's last check" });
    expect(lines).toHaveTextContent(`${ADDRESS}: Since the last check (15 min): 12 delivered, 0 pending, 1 failed.`);
    expect(lines).toHaveTextContent(
      "2 undeliverable reports arrived at journal-ndr@contoso.com since the last check (15 min).",
    );
    await act(() => live.settle(statusOf()));
    expect(screen.getByTestId("status-freshness")).toHaveTextContent("Checked just now.");
    expect(screen.getByRole("list", { name: "The monitor's last check" })).toHaveTextContent("12 delivered");
  });

  it("keeps the snapshot on screen, with the error, when the live read fails", async () => {
    const snapshot: StatusSnapshotResponse = {
      snapshot: statusOf(),
      checkedAt: new Date(Date.now() - 7200_000).toISOString(),
      ageSeconds: 7200,
      checkedBy: "pane",
    };
    render(
      <Wrap
        value={services({
          backend: {
            statusSnapshot: () => Promise.resolve(snapshot),
            status: () => Promise.reject(new PaneError("network_unreachable", "offline")),
          },
        })}
      >
        <StatusStep onChangeSetup={() => undefined} />
      </Wrap>,
    );
    expect(await screen.findByText("Can't reach the service")).toBeInTheDocument();
    expect(screen.getByTestId("status-freshness")).toHaveTextContent("Checked 2 hours ago in the pane.");
    expect(screen.getByText("Everything is set up")).toBeInTheDocument();
  });
});

function renderWatching(
  backend: NonNullable<Parameters<typeof services>[0]>["backend"],
  opts: { canChange?: boolean; host?: Partial<HostService> } = {},
): void {
  const s = services({
    backend,
    canChange: opts.canChange ?? true,
    directory: { searchPeople: () => Promise.resolve([megan]) },
  });
  render(
    <Wrap value={{ ...s, host: { ...s.host, ...opts.host } }}>
      <KeepWatching />
    </Wrap>,
  );
}

describe("Keep watching", () => {
  it("lets an admin turn it on with an interval and people to tell, checking the interval first", async () => {
    const put = jest.fn((body: MonitorSettingsRequest) =>
      Promise.resolve(
        settingsOf({
          watching: body.watching,
          intervalMinutes: body.intervalMinutes ?? 15,
          recipients: (body.recipients ?? []).map((upn) => ({ upn, displayName: "Megan Bowen" })),
          enabledBy: "admin@contoso.com",
        }),
      ),
    );
    renderWatching({ monitorSettings: () => Promise.resolve(settingsOf()), putMonitorSettings: put });
    expect(await screen.findByText(/Not watching/)).toBeInTheDocument();
    // Never turned on yet: the admin who opens it is offered as the first person to tell.
    expect(screen.getByRole("list", { name: "People told in Teams" })).toHaveTextContent(
      "Megan Admin (admin@contoso.com)",
    );
    await userEvent.click(screen.getByRole("button", { name: "Remove Megan Admin" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Keep watching" }));
    const interval = screen.getByRole("spinbutton", { name: /Check every/ });
    await userEvent.clear(interval);
    await userEvent.type(interval, "0");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText("Enter whole minutes from 1 to 1440 (a day).")).toBeInTheDocument();
    expect(
      screen.getByText("Add at least one person (or a team channel) to tell when something breaks."),
    ).toBeInTheDocument();
    expect(put).not.toHaveBeenCalled();

    await userEvent.clear(interval);
    await userEvent.type(interval, "5");
    await userEvent.type(screen.getByRole("combobox", { name: "Add a person to tell" }), "Meg");
    await userEvent.click(await screen.findByRole("option", { name: /Megan Bowen/ }));
    expect(screen.getByRole("list", { name: "People told in Teams" })).toHaveTextContent(
      "Megan Bowen (megan@contoso.com)",
    );
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved. The monitor checks every 5 minutes.")).toBeInTheDocument();
    expect(put).toHaveBeenCalledWith({
      watching: true,
      intervalMinutes: 5,
      recipients: ["megan@contoso.com"],
      channel: null,
    });
    expect(
      screen.getByText(/Watching: the setup is checked every 5 minutes, turned on by admin@contoso.com/),
    ).toBeInTheDocument();
  });

  it("shows a reader the settings read-only, with the role that is needed", async () => {
    renderWatching(
      {
        monitorSettings: () =>
          Promise.resolve(
            settingsOf({
              watching: true,
              intervalMinutes: 30,
              recipients: [{ upn: "megan@contoso.com" }],
              identity: {
                clientId: "a",
                state: "needsExchangeRole",
                text: "Exchange refuses the app: its service principal has no Exchange role.",
              },
            }),
          ),
      },
      { canChange: false },
    );
    expect(await screen.findByText(/Watching: the setup is checked every 30 minutes/)).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Keep watching" })).toBeDisabled();
    expect(screen.getByRole("spinbutton", { name: /Check every/ })).toBeDisabled();
    expect(screen.getByRole("list", { name: "People told in Teams" })).toHaveTextContent("megan@contoso.com");
    // Where the identity stands, but nothing to press: readers can neither consent nor give roles.
    expect(screen.getByText("Step 2 of 2: an Exchange role for the app")).toBeInTheDocument();
    expect(screen.queryAllByRole("button")).toEqual([]);
    expect(screen.queryByRole("combobox", { name: "Add a person to tell" })).not.toBeInTheDocument();
    expect(
      screen.getByText("Changing these settings needs the Exchange Administrator or Global Administrator role."),
    ).toBeInTheDocument();
  });

  it("walks the admin through consent in a pop-up, then the Exchange role, then Check again", async () => {
    const consentUrl =
      "https://login.test/contoso.onmicrosoft.com/adminconsent?client_id=api-app-id&redirect_uri=x&state=s";
    const answers: MonitorSettings[] = [
      settingsOf({
        identity: {
          clientId: "api-app-id",
          state: "needsConsent",
          text: "The app has no admin consent in this tenant yet.",
          consentUrl,
          missingPermissions: ["Exchange.ManageAsApp", "TeamsActivity.Send"],
        },
      }),
      settingsOf({
        identity: {
          clientId: "api-app-id",
          state: "needsExchangeRole",
          text: "Exchange refuses the app: its service principal has no Exchange role.",
          exchangeRoleHelp: "Assign the Exchange Administrator role to the Journaling Assistant app in Entra ID.",
        },
      }),
      settingsOf(),
    ];
    let reads = 0;
    const monitorSettings = jest.fn(() => Promise.resolve(answers[Math.min(reads++, answers.length - 1)]!));
    const popup = { closed: false, close: jest.fn() };
    const open = jest.spyOn(window, "open").mockReturnValue(popup as unknown as Window);
    try {
      renderWatching({ monitorSettings });
      expect(await screen.findByText("Step 1 of 2: an administrator's consent")).toBeInTheDocument();
      expect(
        screen.getByText(/Permissions still to grant: Exchange.ManageAsApp, TeamsActivity.Send/),
      ).toBeInTheDocument();
      await userEvent.click(screen.getByRole("button", { name: "Grant admin consent" }));
      expect(open).toHaveBeenCalledWith(consentUrl, "ja-admin-consent", expect.stringContaining("popup"));
      expect(screen.getByText("Waiting for the consent in the Microsoft window…")).toBeInTheDocument();
      // The pane asks the backend until the consent shows; then the next step appears by itself.
      expect(
        await screen.findByText("Step 2 of 2: an Exchange role for the app", {}, { timeout: 5000 }),
      ).toBeInTheDocument();
      expect(popup.close).toHaveBeenCalled();
      expect(
        screen.getByText("Assign the Exchange Administrator role to the Journaling Assistant app in Entra ID."),
      ).toBeInTheDocument();
      await userEvent.click(screen.getByRole("button", { name: "Check again" }));
      await waitFor(() => expect(screen.queryByRole("group", { name: "Set up the monitor's identity" })).toBeNull());
    } finally {
      open.mockRestore();
    }
  });

  it("says so when the browser blocks the consent window, with the link to open instead", async () => {
    const consentUrl = "https://login.test/t/adminconsent?client_id=a&redirect_uri=x&state=s";
    const open = jest.spyOn(window, "open").mockReturnValue(null);
    try {
      renderWatching({
        monitorSettings: () =>
          Promise.resolve(
            settingsOf({ identity: { clientId: "a", state: "needsConsent", text: "No consent yet.", consentUrl } }),
          ),
      });
      await userEvent.click(await screen.findByRole("button", { name: "Grant admin consent" }));
      expect(screen.getByText(/The browser blocked the consent window/)).toBeInTheDocument();
      expect(screen.getByRole("link", { name: "Microsoft's consent page" })).toHaveAttribute("href", consentUrl);
    } finally {
      open.mockRestore();
    }
  });

  it("in Teams, opens the consent in the host's authentication window", async () => {
    const consentUrl = "https://login.test/t/adminconsent?client_id=a&redirect_uri=x&state=s";
    const authenticate = jest.fn(() => Promise.resolve());
    const open = jest.spyOn(window, "open");
    let reads = 0;
    try {
      renderWatching(
        {
          monitorSettings: () =>
            Promise.resolve(
              reads++ === 0
                ? settingsOf({
                    identity: { clientId: "a", state: "needsConsent", text: "No consent yet.", consentUrl },
                  })
                : settingsOf(),
            ),
        },
        { host: { kind: "teams", authenticate } },
      );
      await userEvent.click(await screen.findByRole("button", { name: "Grant admin consent" }));
      expect(authenticate).toHaveBeenCalledWith(consentUrl);
      expect(open).not.toHaveBeenCalled();
      await waitFor(() => expect(screen.queryByRole("group", { name: "Set up the monitor's identity" })).toBeNull());
    } finally {
      open.mockRestore();
    }
  });

  it("shows what the backend refused (400) next to the field and keeps every choice", async () => {
    const put = jest.fn(() =>
      Promise.reject(
        new PaneError("invalid_desired_state", "recipients: nobody@fabrikam.com is not a user in this tenant.", {
          status: 400,
          remoteCode: "invalid_request",
          fieldErrors: [{ path: "recipients.1", message: "nobody@fabrikam.com is not a user in this tenant." }],
        }),
      ),
    );
    renderWatching({
      monitorSettings: () =>
        Promise.resolve(
          settingsOf({
            watching: true,
            intervalMinutes: 10,
            recipients: [{ upn: "megan@contoso.com" }, { upn: "nobody@fabrikam.com" }],
          }),
        ),
      putMonitorSettings: put,
    });
    const interval = await screen.findByRole("spinbutton", { name: /Check every/ });
    await userEvent.clear(interval);
    await userEvent.type(interval, "20");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("The settings were not saved")).toBeInTheDocument();
    expect(screen.getAllByText(/nobody@fabrikam.com is not a user in this tenant/).length).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole("spinbutton", { name: /Check every/ })).toHaveValue(20);
    expect(screen.getByRole("list", { name: "People told in Teams" })).toHaveTextContent("nobody@fabrikam.com");
  });

  it("explains a 409 (identity not ready) and shows the walkthrough again", async () => {
    let reads = 0;
    renderWatching({
      monitorSettings: () =>
        Promise.resolve(
          reads++ === 0
            ? settingsOf({ recipients: [{ upn: "megan@contoso.com" }] })
            : settingsOf({
                recipients: [{ upn: "megan@contoso.com" }],
                identity: {
                  clientId: "a",
                  state: "needsConsent",
                  text: "The consent was revoked.",
                  consentUrl: "https://login.test/t/adminconsent?client_id=a",
                },
              }),
        ),
      putMonitorSettings: () =>
        Promise.reject(
          new PaneError("version_conflict", "The monitor's identity has no admin consent: grant it first.", {
            status: 409,
            remoteCode: "monitor_identity_not_ready",
          }),
        ),
    });
    await userEvent.click(await screen.findByRole("checkbox", { name: "Keep watching" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Watching can't be turned on yet")).toBeInTheDocument();
    expect(screen.getByText(/The monitor's identity has no admin consent: grant it first./)).toBeInTheDocument();
    expect(await screen.findByText("Step 1 of 2: an administrator's consent")).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Keep watching" })).toBeChecked();
  });
});

describe("Alert history", () => {
  const alerts: Alert[] = [
    {
      id: "a2",
      code: "rule-disabled",
      state: "open",
      title: "A journal rule is switched off",
      text: "Journal rule 'Journal US' is disabled: no journal reports are sent for US mail.",
      action: "Review and apply the setup again to switch it back on.",
      since: "2026-01-02T08:00:00Z",
      updatedAt: "2026-01-02T08:15:00Z",
      resolvedAt: null,
      deepLink: "https://teams.microsoft.com/l/entity/app/setup?context=%7B%22subEntityId%22%3A%22status%22%7D",
      notified: [{ upn: "megan@contoso.com", at: "2026-01-02T08:01:00Z", kind: "raised" }],
    },
    {
      id: "a1",
      code: "reports-queued",
      state: "resolved",
      title: "Journal reports are queued",
      text: "12 journal reports to contoso@journaling.mxrecord.io were not accepted.",
      action: "Validate the connector.",
      since: "2026-01-01T08:00:00Z",
      updatedAt: "2026-01-01T10:00:00Z",
      resolvedAt: "2026-01-01T10:00:00Z",
      deepLink: "https://teams.microsoft.com/l/entity/app/setup",
      notified: [
        { upn: "megan@contoso.com", at: "2026-01-01T08:01:00Z", kind: "raised" },
        { upn: "megan@contoso.com", at: "2026-01-01T10:01:00Z", kind: "resolved" },
      ],
    },
  ];

  it("lists open and resolved alerts, since when, the fix, and who was told", async () => {
    render(
      <Wrap value={services({ backend: { alerts: () => Promise.resolve({ alerts }) } })}>
        <AlertHistory />
      </Wrap>,
    );
    const list = await screen.findByRole("list", { name: "Alerts" });
    const open = within(list).getByRole("listitem", { name: "Open: A journal rule is switched off" });
    expect(open).toHaveTextContent("Next: Review and apply the setup again to switch it back on.");
    expect(open).toHaveTextContent(/Since .*last updated/);
    expect(open).toHaveTextContent(/Notified in Teams: megan@contoso.com \(told /);
    const resolved = within(list).getByRole("listitem", { name: "Resolved: Journal reports are queued" });
    expect(resolved).toHaveTextContent(/resolved /);
    expect(resolved).not.toHaveTextContent("Next:");
    expect(resolved).toHaveTextContent(/megan@contoso.com \(told it is resolved /);
    expect(screen.getByText("1 open alert.")).toBeInTheDocument();
  });

  it("says there are none yet", async () => {
    render(
      <Wrap value={services({ backend: { alerts: () => Promise.resolve({ alerts: [] }) } })}>
        <AlertHistory />
      </Wrap>,
    );
    expect(await screen.findByText(/^No alerts\./)).toBeInTheDocument();
  });
});
