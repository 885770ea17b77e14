/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { MailFlowTest } from "../../src/core/contract/mailflow";
import { MailFlowTestSection } from "../../src/components/steps/StatusStep/MailFlowTestSection";
import { PaneError } from "../../src/services/errors";
import { services, Wrap } from "./fakes";

const passed: MailFlowTest = {
  id: "11111111-1111-4111-8111-111111111111",
  state: "passed",
  startedBy: "exchange.admin@contoso.com",
  startedAt: "2026-12-07T10:00:00Z",
  finishedAt: "2026-12-07T10:00:05Z",
  recipient: "megan@fabrikam.example",
  regions: [
    {
      region: "eu1",
      host: "journaling.mailstream-eu1.mxrecord.io",
      address: "contoso@journaling.mailstream-eu1.mxrecord.io",
      sender: "anna.schmidt@contoso.com",
      messageId: "<a@b>",
      state: "delivered",
      sentAt: "2026-12-07T10:00:01Z",
      reportAt: "2026-12-07T10:00:03Z",
      seconds: 2,
    },
  ],
};

test("a reader sees the latest result (a colleague's) but no send button", async () => {
  render(
    <Wrap value={services({ canChange: false, backend: { latestMailFlowTest: () => Promise.resolve(passed) } })}>
      <MailFlowTestSection />
    </Wrap>,
  );
  const section = screen.getByRole("region", { name: "Send a test message" });
  const results = await within(section).findByRole("list", { name: "Mail-flow test results" });
  expect(results).toHaveTextContent(/Delivered\s*eu1: from anna\.schmidt@contoso\.com .* in 2 s/);
  expect(section).toHaveTextContent(/by exchange\.admin@contoso\.com/);
  expect(within(section).queryByRole("button", { name: "Send a test message" })).toBeNull();
});

test("an admin sends, follows the test until it finishes, and sees why an internal recipient is refused", async () => {
  const start = jest
    .fn()
    .mockRejectedValueOnce(
      new PaneError(
        "unknown",
        "admin@contoso.com is inside your organization, so the test message would not leave it",
        {
          status: 400,
          remoteCode: "recipient_internal",
        },
      ),
    )
    .mockResolvedValueOnce({ testId: passed.id });
  const get = jest
    .fn()
    .mockResolvedValueOnce({
      ...passed,
      state: "running",
      finishedAt: null,
      regions: [{ ...passed.regions[0]!, state: "waiting" }],
    })
    .mockResolvedValueOnce(passed);
  render(
    <Wrap
      value={services({
        backend: { latestMailFlowTest: () => Promise.resolve(null), startMailFlowTest: start, getMailFlowTest: get },
      })}
    >
      <MailFlowTestSection />
    </Wrap>,
  );
  const section = screen.getByRole("region", { name: "Send a test message" });
  await userEvent.click(within(section).getByRole("button", { name: "Send a test message" }));
  expect(await within(section).findByText(/is inside your organization/)).toBeInTheDocument();
  expect(start).toHaveBeenLastCalledWith({});

  await userEvent.type(within(section).getByRole("textbox", { name: /External recipient/ }), "megan@fabrikam.example");
  await userEvent.click(within(section).getByRole("button", { name: "Send a test message" }));
  expect(
    await within(section).findByText(/^Passed: test messages to megan@fabrikam\.example/, {}, { timeout: 5000 }),
  ).toBeInTheDocument();
  expect(start).toHaveBeenLastCalledWith({ recipient: "megan@fabrikam.example" });
});

test("an admin chooses which member of a region's list sends its test message", async () => {
  const start = jest.fn(() => Promise.resolve({ testId: passed.id }));
  const desired = {
    journaling: {
      regions: [
        { region: "eu1", group: { members: ["anna.schmidt@contoso.com", "jonas.becker@contoso.com"] } },
        { region: "bom", group: { members: ["priya.sharma@contoso.com"] } },
      ],
    },
  };
  render(
    <Wrap
      value={services({
        backend: {
          latestMailFlowTest: () => Promise.resolve(null),
          appliedSetup: () => Promise.resolve({ desired, runId: "r", appliedAt: null, appliedBy: null }),
          startMailFlowTest: start,
          getMailFlowTest: () => Promise.resolve(passed),
        },
      })}
    >
      <MailFlowTestSection />
    </Wrap>,
  );
  const eu = await screen.findByRole("combobox", { name: /Sender for eu1/ });
  expect(
    within(eu)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual([
    "You if you are in the list, else its first member",
    "anna.schmidt@contoso.com",
    "jonas.becker@contoso.com",
  ]);
  expect(screen.getByRole("combobox", { name: /Sender for bom/ })).toHaveValue("");
  await userEvent.selectOptions(eu, "jonas.becker@contoso.com");
  await userEvent.type(screen.getByRole("textbox", { name: /External recipient/ }), "megan@fabrikam.example");
  await userEvent.click(screen.getByRole("button", { name: "Send a test message" }));
  expect(start).toHaveBeenCalledWith({
    recipient: "megan@fabrikam.example",
    senders: { eu1: "jonas.becker@contoso.com" },
  });
});
