/** @jest-environment jsdom */
import { act, renderHook, waitFor } from "@testing-library/react";
import { emptyTenant } from "../../src/core/observed/types";
import type { ProgressDocument } from "../../src/services/backend/types";
import { PaneError } from "../../src/services/errors";
import { emptyDraft, type SetupDraft } from "../../src/components/setup/draft";
import { useWizard } from "../../src/components/Wizard/useWizard";
import { services, Wrap } from "./fakes";

function doc(draft: SetupDraft, version: number): ProgressDocument<SetupDraft> {
  return { draft, steps: {}, version, updatedBy: "someone", updatedAt: "2026-01-01T00:00:00Z", history: [] };
}

describe("useWizard shared progress", () => {
  afterEach(() => jest.useRealTimers());

  it("after a colleague's save wins, a change typed while their version loads is not saved over it unseen", async () => {
    jest.useFakeTimers();
    const colleague = { ...emptyDraft(), customer: "fabrikam" };
    let reads = 0;
    let releaseReload: () => void = () => undefined;
    const saved: { customer: string; version: number }[] = [];
    const value = services({
      backend: {
        tenantState: () => Promise.resolve({ ...emptyTenant(), readAt: "2026-01-01T00:00:00Z" }),
        activeRun: () => Promise.resolve(null),
        getProgress: <Draft,>() => {
          reads++;
          if (reads === 1) return Promise.resolve(doc(emptyDraft(), 1) as unknown as ProgressDocument<Draft>);
          // The reload after the conflict: held until the test lets it answer.
          return new Promise<ProgressDocument<Draft>>((resolve) => {
            releaseReload = () => resolve(doc(colleague, 2) as unknown as ProgressDocument<Draft>);
          });
        },
        putProgress: <Draft,>(update: { draft: Draft; version: number }) => {
          const draft = update.draft as unknown as SetupDraft;
          saved.push({ customer: draft.customer, version: update.version });
          if (update.version === 1) return Promise.reject(new PaneError("version_conflict", "version mismatch"));
          return Promise.resolve(doc(draft, update.version + 1) as unknown as ProgressDocument<Draft>);
        },
      },
    });
    const { result } = renderHook(() => useWizard(), {
      wrapper: ({ children }) => <Wrap value={value}>{children}</Wrap>,
    });
    await waitFor(() => expect(result.current.loading).toBe(false));

    act(() => result.current.update({ customer: "contoso" }));
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000); // the debounced save: refused, the colleague's version is read
    });
    expect(saved).toEqual([{ customer: "contoso", version: 1 }]);
    // The admin keeps typing while the colleague's version is on its way.
    act(() => result.current.update({ customer: "contoso-eu" }));
    await act(async () => {
      releaseReload();
      await jest.advanceTimersByTimeAsync(2000);
    });

    // What the pane shows is what the server holds: the colleague's version, with the conflict notice.
    expect(result.current.draft.customer).toBe("fabrikam");
    expect(result.current.notice).toBeInstanceOf(PaneError);
    expect(saved).toEqual([{ customer: "contoso", version: 1 }]);
  });

  it("records a succeeded apply at once, without leaving the step, and only once", async () => {
    const saves: Record<string, string>[] = [];
    const done = { check: "done", address: "done", where: "done", ndr: "done", review: "done" } as const;
    const value = services({
      backend: {
        tenantState: () => Promise.resolve({ ...emptyTenant(), readAt: "2026-01-01T00:00:00Z" }),
        activeRun: () => Promise.resolve(null),
        getProgress: <Draft,>() =>
          Promise.resolve({ ...doc(emptyDraft(), 1), steps: done } as unknown as ProgressDocument<Draft>),
        putProgress: <Draft,>(update: { draft: Draft; steps: Record<string, string>; version: number }) => {
          saves.push(update.steps);
          return Promise.resolve({
            ...doc(update.draft as unknown as SetupDraft, update.version + 1),
            steps: update.steps,
          } as unknown as ProgressDocument<Draft>);
        },
      },
    });
    const { result } = renderHook(() => useWizard(), {
      wrapper: ({ children }) => <Wrap value={value}>{children}</Wrap>,
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    act(() => result.current.goTo("apply"));
    act(() => result.current.markApplied());
    act(() => result.current.markApplied());
    await waitFor(() => expect(saves).toHaveLength(1));
    expect(saves[0]).toEqual({ ...done, apply: "done" });
    expect(result.current.steps.apply).toBe("done");
    expect(result.current.step).toBe("apply");
  });
});
