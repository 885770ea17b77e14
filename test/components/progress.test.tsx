/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ProgressDocument } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import type { SetupDraft } from "../../src/components/setup/draft";
import ProgressView from "../../src/components/ProgressView/ProgressView";
import { services, Wrap } from "./fakes";

// jsdom has no ResizeObserver; Fluent's MessageBar (layout "auto") measures itself with one.
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
beforeAll(() => {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoResizeObserver;
});

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

function renderProgress(
  getProgress: () => Promise<ProgressDocument<unknown>>,
  copyText: (text: string) => Promise<void> = () => Promise.resolve(),
): void {
  const s = services({ backend: { getProgress: getProgress as never } });
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
    expect(choice("Journaling")).toMatch(/United States.*: contoso@journaling\.mxrecord\.io/);
    expect(choice("Undeliverable reports")).toBe("journal-ndr@contoso.com");
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
});
