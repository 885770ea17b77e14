/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { MessageJournaling } from "../../src/core/contract/mailflow";
import MessageJournalingCard, { reportLine } from "../../src/components/MessageJournaling/MessageJournaling";
import { PaneError } from "../../src/services/errors";
import type { MailItemSource, SelectedMessage } from "../../src/services/host";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

/** Outlook's selection: the test changes it as ItemChanged would. */
function selection(first: SelectedMessage | null): MailItemSource & { select(m: SelectedMessage | null): void } {
  let current = first;
  const handlers = new Set<(m: SelectedMessage | null) => void>();
  return {
    current: () => current,
    onChange: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    select(m) {
      current = m;
      for (const h of handlers) h(m);
    },
  };
}

const delivered: MessageJournaling = {
  verdict: "journaled",
  sentence: "Journaled: the report was delivered to United States (contoso@journaling.mxrecord.io).",
  reports: [
    {
      address: "contoso@journaling.mxrecord.io",
      region: "us",
      host: "journaling.mxrecord.io",
      status: "Delivered",
      at: "2026-12-07T06:00:00Z",
    },
  ],
  evidence: ["Trace 1: journal report Delivered."],
};
const notYet: MessageJournaling = {
  verdict: "notYetKnown",
  reason: "traceLag",
  sentence: "Message trace does not show this message yet; looking again in 60 seconds.",
  reports: [],
  retryAfterSeconds: 60,
  evidence: [],
};
const internal: MessageJournaling = {
  verdict: "notJournaled",
  reason: "internalOnly",
  sentence: "Not journaled: an internal message, and the journal rules cover external messages only.",
  reports: [],
  evidence: ["Rule Journal to Area 1 (US): scope External."],
};

function renderCard(source: MailItemSource, messageJournaling: (id: string) => Promise<MessageJournaling>) {
  const svc = services({ backend: { messageJournaling } });
  return render(
    <Wrap value={svc}>
      <MessageJournalingCard source={source} />
    </Wrap>,
  );
}

describe("Was this message journaled? (Outlook message read)", () => {
  afterEach(() => jest.useRealTimers());

  it("answers for the selected message with its reports and evidence, and follows the selection", async () => {
    const source = selection({ internetMessageId: "<a@x>", subject: "Quarterly numbers" });
    const asked: string[] = [];
    renderCard(source, (id) => {
      asked.push(id);
      return Promise.resolve(id === "<a@x>" ? delivered : internal);
    });
    expect(await screen.findByText(delivered.sentence)).toBeInTheDocument();
    expect(screen.getByText("Quarterly numbers")).toBeInTheDocument();
    const reports = screen.getByRole("list", { name: "Journal reports" });
    expect(
      within(reports).getByText(/contoso@journaling\.mxrecord\.io \(us, journaling\.mxrecord\.io\): Delivered/),
    ).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Evidence" })).toHaveTextContent("Trace 1");

    act(() => source.select({ internetMessageId: "<b@x>", subject: "Lunch" }));
    expect(await screen.findByText(internal.sentence)).toBeInTheDocument();
    expect(screen.queryByText(delivered.sentence)).not.toBeInTheDocument();
    expect(asked).toEqual(["<a@x>", "<b@x>"]);

    act(() => source.select(null));
    expect(screen.getByText("Select a message to see whether it was journaled.")).toBeInTheDocument();
  });

  it("asks again after retryAfterSeconds while the answer is not known yet", async () => {
    jest.useFakeTimers();
    const answers = [notYet, delivered];
    const ask = jest.fn(() => Promise.resolve(answers.shift() ?? delivered));
    renderCard(selection({ internetMessageId: "<c@x>" }), ask);
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.getByText(notYet.sentence)).toBeInTheDocument();
    expect(screen.getByText("Checking again in 60 seconds.")).toBeInTheDocument();
    await act(async () => {
      jest.advanceTimersByTime(59_000);
      await Promise.resolve();
    });
    expect(ask).toHaveBeenCalledTimes(1);
    await act(async () => {
      jest.advanceTimersByTime(1_000);
      await Promise.resolve();
    });
    expect(ask).toHaveBeenCalledTimes(2);
    expect(screen.getByText(delivered.sentence)).toBeInTheDocument();
    expect(screen.queryByText(/Checking again/)).not.toBeInTheDocument();
  });

  it("explains a failure and tries again on request", async () => {
    const ask = jest
      .fn<Promise<MessageJournaling>, [string]>()
      .mockRejectedValueOnce(new PaneError("network_unreachable", "offline"))
      .mockResolvedValueOnce(delivered);
    renderCard(selection({ internetMessageId: "<d@x>" }), ask);
    expect(await screen.findByText("Can't reach the service")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText(delivered.sentence)).toBeInTheDocument();
  });

  it("words Pending and Failed reports with since-when and why", () => {
    expect(
      reportLine({
        address: "eu@x.io",
        region: "eu1",
        status: "Pending",
        at: "2026-12-07T06:00:00Z",
        pendingSince: "2026-12-07T06:00:00Z",
        why: "451 4.4.0",
      }),
    ).toMatch(/^eu@x\.io \(eu1\): Pending since .+ \(451 4\.4\.0\)$/);
    expect(reportLine({ address: "eu@x.io", status: "Failed", at: "2026-12-07T06:00:00Z", why: "550 5.4.1" })).toMatch(
      /^eu@x\.io: Failed .+ \(550 5\.4\.1\)$/,
    );
  });
});
