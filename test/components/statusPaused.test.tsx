/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen, within } from "@testing-library/react";
import type { StatusResponse } from "../../src/services/backend/types";
import StatusStep from "../../src/components/steps/StatusStep/StatusStep";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

/** A paused setup: its rule shows "Paused", the page says since when and by whom, and nothing "needs attention". */
const paused: StatusResponse = {
  resources: [
    {
      kind: "journalRule",
      key: "us",
      label: "Journal rule for everyone to contoso@journaling.mxrecord.io",
      state: "paused",
      drift: [],
    },
  ],
  connectorValidation: null,
  messageTrace: { asOf: "2026-01-02T00:30:00Z", ageSeconds: 0, perAddress: [] },
  checkedAt: "2026-01-02T00:30:00Z",
  hasSetup: true,
  setupState: "paused",
  paused: { since: "2026-01-02T00:00:00.000Z", by: "admin@contoso.com" },
};

it("a paused setup reads Paused since <time> by <who>", async () => {
  render(
    <Wrap value={services({ backend: { status: () => Promise.resolve(paused) } })}>
      <StatusStep onChangeSetup={() => undefined} />
    </Wrap>,
  );
  const since = new Date(paused.paused?.since ?? "").toLocaleString();
  expect(await screen.findByText(`Paused since ${since} by admin@contoso.com.`)).toBeInTheDocument();
  const table = screen.getByRole("table", { name: "Parts of the setup" });
  expect(within(table).getByText("Paused")).toBeInTheDocument();
  expect(screen.queryByText(/needs? attention/)).not.toBeInTheDocument();
});
