/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen } from "@testing-library/react";
import type { ProgressDocument, StatusResponse } from "../../src/services/backend/types";
import ReadOnlyView from "../../src/components/ReadOnlyView/ReadOnlyView";
import { describeActionError } from "../../src/components/errors/describeError";
import { services, stubResizeObserver, Wrap } from "./fakes";

stubResizeObserver();

const EMPTY: ProgressDocument<unknown> = {
  draft: null,
  steps: {},
  version: 0,
  updatedBy: null,
  updatedAt: null,
  history: [],
};
const NOTHING: StatusResponse = {
  resources: [],
  connectorValidation: null,
  messageTrace: { asOf: "2026-01-02T10:05:00Z", ageSeconds: 0, perAddress: [] },
  checkedAt: "2026-01-02T10:05:00Z",
  hasSetup: false,
};

it("the read-only view says why: Exchange refused the account, and what would be allowed", async () => {
  const s = services({
    canChange: false,
    access: {
      kind: "none",
      rolesFrom: "token",
      text: "Exchange Online refused your account: User is not allowed to call Get-TransportConfig. Changing the setup needs Exchange Administrator or Global Administrator, or membership of the Exchange role group Organization Management.",
    },
    backend: {
      getProgress: (() => Promise.resolve(EMPTY)) as never,
      status: () => Promise.resolve(NOTHING),
      audit: () => Promise.resolve({ entries: [] }),
    },
  });
  render(
    <Wrap value={{ ...s, session: { ...s.session, roles: [] } }}>
      <ReadOnlyView />
    </Wrap>,
  );
  expect(await screen.findByText("Read-only")).toBeInTheDocument();
  expect(
    screen.getByText(/Exchange Online refused your account: User is not allowed to call Get-TransportConfig/),
  ).toBeInTheDocument();
  expect(screen.getByText(/membership of the Exchange role group Organization Management\. Ask/)).toBeInTheDocument();
});

it("a refused step shows Exchange's words and what to ask for", () => {
  const text = describeActionError(
    "access_denied",
    'Exchange refused Set-TransportConfig for carla@contoso.com: User is not allowed to call Set-TransportConfig. Set-TransportConfig needs the Exchange role "Organization Transport Settings" (role group Organization Management), or the Entra role Exchange Administrator or Global Administrator.',
  );
  expect(text.detail).toMatch(/^Exchange refused Set-TransportConfig/);
  expect(text.next).toMatch(/role group named above/);
});
