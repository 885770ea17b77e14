/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import ApplyStep from "../../src/components/steps/ApplyStep/ApplyStep";
import type { BackendApi, Run, RunEvent, RunEventsOptions } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import { services, stubResizeObserver, usEveryoneRun, Wrap } from "./fakes";

stubResizeObserver();

const run = usEveryoneRun;

/** A run event without the fields every event of this run has the same (runId, at). */
type StreamEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "runId" | "at"> : never) : never;

/** One connection to the event stream, driven by the test: emit events, then end or break it. */
interface Stream {
  readonly options: RunEventsOptions;
  emit(e: StreamEvent): void;
  end(): void;
  fail(err: unknown): void;
}

/** A backend whose run reads and event streams the test controls, connection by connection. */
function fakeBackend(): {
  backend: Partial<BackendApi>;
  streams: Stream[];
  getRun: jest.Mock<Promise<Run>, [string]>;
} {
  const streams: Stream[] = [];
  const getRun = jest.fn<Promise<Run>, [string]>(() => Promise.resolve(run));
  const runEvents: BackendApi["runEvents"] = (_id, onEvent, _signal, options = {}) =>
    new Promise<void>((resolve, reject) => {
      options.onOpen?.();
      streams.push({
        options,
        emit: (e) => onEvent({ runId: "r1", at: "2026-01-01T00:00:01Z", ...e }),
        end: resolve,
        fail: reject,
      });
    });
  return { backend: { getRun, runEvents }, streams, getRun };
}

const offline = (): PaneError => new PaneError("network_unreachable", "Failed to fetch");

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

function renderApply(backend: Partial<BackendApi>, onApplied?: () => void): void {
  render(
    <Wrap value={services({ backend })}>
      <ApplyStep
        pending={null}
        runId="r1"
        onAttach={() => undefined}
        onFinished={() => undefined}
        onReview={() => undefined}
        {...(onApplied ? { onApplied } : {})}
      />
    </Wrap>,
  );
}

const status = (): HTMLElement => screen.getByRole("status");

describe("Apply: live progress through network trouble", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("reconnects after a dropped stream, resuming after the last event without repeating it", async () => {
    const f = fakeBackend();
    renderApply(f.backend);
    await advance(0);
    expect(f.streams).toHaveLength(1);
    expect(f.streams[0]!.options.lastEventId).toBeUndefined();

    act(() =>
      f.streams[0]!.emit({
        id: "1",
        type: "action-started",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
      }),
    );
    act(() =>
      f.streams[0]!.emit({
        id: "2",
        type: "action-retried",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 2,
        error: { code: "throttled", message: "busy" },
        delayMs: 1000,
      }),
    );
    expect(screen.getByText(/Retried: attempt 2/)).toBeInTheDocument();

    // The server's truth while the pane was away: a1 retried once.
    f.getRun.mockResolvedValue({
      ...run,
      actions: [{ ...run.actions[0]!, state: "running", attempts: 2 }, run.actions[1]!],
    });
    act(() => f.streams[0]!.fail(offline()));
    await advance(0);
    expect(status()).toHaveTextContent("Reconnecting…");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    await advance(999);
    expect(f.streams).toHaveLength(1);
    await advance(1);
    expect(f.streams).toHaveLength(2);
    expect(f.streams[1]!.options.lastEventId).toBe("2");
    expect(status()).not.toHaveTextContent("Reconnecting");

    // A server that replays the last event again must not count the retry twice.
    act(() =>
      f.streams[1]!.emit({
        id: "2",
        type: "action-retried",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 2,
        error: { code: "throttled", message: "busy" },
        delayMs: 1000,
      }),
    );
    act(() =>
      f.streams[1]!.emit({
        id: "3",
        type: "action-succeeded",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 2,
      }),
    );
    expect(screen.getByText(/Retried: attempt 2/)).toBeInTheDocument();
    expect(screen.queryByText(/attempt 3/)).not.toBeInTheDocument();
    expect(screen.getByText("1 of 2 changes done")).toBeInTheDocument();

    act(() =>
      f.streams[1]!.emit({ id: "4", type: "action-succeeded", actionId: "a2", cmdlet: "New-JournalRule", attempt: 1 }),
    );
    act(() => f.streams[1]!.emit({ id: "5", type: "run-finished", state: "succeeded" }));
    f.getRun.mockResolvedValue({
      ...run,
      state: "succeeded",
      actions: run.actions.map((a) => ({ ...a, state: "succeeded" as const, attempts: a.id === "a1" ? 2 : 1 })),
    });
    act(() => f.streams[1]!.end());
    await advance(0);
    expect(screen.getByText("All changes are done.")).toBeInTheDocument();
    expect(f.streams).toHaveLength(2);
  });

  it("reports a succeeded run once (Status opens up), and says what was done and what next", async () => {
    const f = fakeBackend();
    const onApplied = jest.fn();
    renderApply(f.backend, onApplied);
    await advance(0);
    expect(onApplied).not.toHaveBeenCalled();
    act(() =>
      f.streams[0]!.emit({
        id: "1",
        type: "action-succeeded",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
      }),
    );
    act(() =>
      f.streams[0]!.emit({ id: "2", type: "action-succeeded", actionId: "a2", cmdlet: "New-JournalRule", attempt: 1 }),
    );
    act(() => f.streams[0]!.emit({ id: "3", type: "run-finished", state: "succeeded" }));
    await advance(0);
    expect(onApplied).toHaveBeenCalledTimes(1);
    const rows = within(screen.getByRole("list", { name: "Changes" })).getAllByRole("listitem");
    expect(rows.map((r) => r.textContent)).toEqual([
      "DoneSet the address for undeliverable reports to journal-ndr@contoso.comSet-TransportConfig",
      'DoneCreated journal rule "Journal Messages to Cloudflare Area 1" to contoso@journaling.mxrecord.io for external mail of everyoneNew-JournalRule',
    ]);
    const next = screen.getByRole("region", { name: "What next" });
    expect(next).toHaveTextContent(/Send a test message from the Status step/);
    f.getRun.mockResolvedValue({ ...run, state: "succeeded" });
    act(() => f.streams[0]!.end());
    await advance(0);
    expect(onApplied).toHaveBeenCalledTimes(1);
  });

  it("backs off 1 s, 2 s, then 5 s between attempts while the connection keeps failing", async () => {
    const f = fakeBackend();
    renderApply(f.backend);
    await advance(0);
    act(() =>
      f.streams[0]!.emit({
        id: "7",
        type: "action-started",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
      }),
    );
    f.getRun.mockRejectedValue(offline());
    act(() => f.streams[0]!.fail(offline()));
    await advance(0);
    expect(f.getRun).toHaveBeenCalledTimes(1);

    const readsAfter = async (ms: number): Promise<number> => {
      await advance(ms);
      return f.getRun.mock.calls.length;
    };
    expect(await readsAfter(1000)).toBe(2);
    expect(await readsAfter(1999)).toBe(2);
    expect(await readsAfter(1)).toBe(3);
    expect(await readsAfter(4999)).toBe(3);
    expect(await readsAfter(1)).toBe(4);
    expect(await readsAfter(5000)).toBe(5); // capped
    expect(status()).toHaveTextContent("Reconnecting…");

    // The backend is back: the stream resumes after the last event the pane saw.
    f.getRun.mockResolvedValue(run);
    await advance(5000);
    expect(f.streams).toHaveLength(2);
    expect(f.streams[1]!.options.lastEventId).toBe("7");
    expect(status()).not.toHaveTextContent("Reconnecting");
  });

  it("says so after a minute without the backend, and Try again resumes without a reload", async () => {
    const f = fakeBackend();
    renderApply(f.backend);
    await advance(0);
    act(() =>
      f.streams[0]!.emit({
        id: "1",
        type: "action-started",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
      }),
    );
    f.getRun.mockRejectedValue(offline());
    act(() => f.streams[0]!.fail(offline()));

    await advance(55_000);
    expect(status()).toHaveTextContent("Reconnecting…");
    expect(screen.queryByText("Live progress was interrupted")).not.toBeInTheDocument();

    await advance(10_000);
    expect(screen.getByText("Live progress was interrupted")).toBeInTheDocument();
    expect(screen.queryByText(/reload/i)).not.toBeInTheDocument();
    expect(status()).not.toHaveTextContent("Reconnecting");
    // What was already shown stays on screen.
    expect(
      screen.getByText("Setting the address for undeliverable reports to journal-ndr@contoso.com"),
    ).toBeInTheDocument();
    const reads = f.getRun.mock.calls.length;
    await advance(30_000);
    expect(f.getRun).toHaveBeenCalledTimes(reads); // it stopped trying until asked

    f.getRun.mockResolvedValue({
      ...run,
      actions: [{ ...run.actions[0]!, state: "running", attempts: 1 }, run.actions[1]!],
    });
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await advance(0);
    expect(screen.queryByText("Live progress was interrupted")).not.toBeInTheDocument();
    expect(f.streams).toHaveLength(2);
    expect(f.streams[1]!.options.lastEventId).toBe("1");
    act(() =>
      f.streams[1]!.emit({
        id: "2",
        type: "action-succeeded",
        actionId: "a1",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
      }),
    );
    expect(screen.getByText("1 of 2 changes done")).toBeInTheDocument();
  });

  it("shows a sign-in problem at once instead of retrying it", async () => {
    const f = fakeBackend();
    renderApply(f.backend);
    await advance(0);
    f.getRun.mockRejectedValue(new PaneError("unauthorized", "expired", { status: 401 }));
    act(() => f.streams[0]!.fail(offline()));
    await advance(1000);
    expect(screen.getByText("Your session has expired")).toBeInTheDocument();
    expect(f.getRun).toHaveBeenCalledTimes(2);
  });
});
