import { transitions } from "../../../../src/core/monitor/alerts";
import type { Problem } from "../../../../src/core/monitor/problems";

const problem = (key: string, fingerprint = "a", since?: string): Problem => ({
  key,
  code: "rule-disabled",
  title: `title ${key}`,
  text: "text",
  action: "action",
  fingerprint,
  ...(since ? { since } : {}),
});

const AT = "2026-12-07T10:00:00.000Z";

describe("alert state machine", () => {
  test("a new problem raises one alert, since the check unless the data says when it began", () => {
    const t = transitions([], [problem("x"), problem("y", "a", "2026-12-06T08:00:00.000Z"), problem("x")], AT);
    expect(t.map((x) => x.kind)).toEqual(["raised", "raised"]);
    expect(t[0]).toMatchObject({ alert: { key: "x", since: AT }, notify: true });
    expect(t[1]).toMatchObject({ alert: { key: "y", since: "2026-12-06T08:00:00.000Z" } });
  });

  test("the same problem again updates its alert without a new notification", () => {
    const t = transitions([{ id: "1", key: "x", fingerprint: "a" }], [problem("x", "a")], AT);
    expect(t).toEqual([expect.objectContaining({ kind: "updated", id: "1", notify: false })]);
  });

  test("a changed cause updates with a notification", () => {
    const t = transitions([{ id: "1", key: "x", fingerprint: "a" }], [problem("x", "b")], AT);
    expect(t).toEqual([expect.objectContaining({ kind: "updated", id: "1", notify: true })]);
  });

  test("a problem that is gone resolves its alert with a notice", () => {
    const t = transitions([{ id: "1", key: "x", fingerprint: "a" }], [], AT);
    expect(t).toEqual([{ kind: "resolved", id: "1", notify: true }]);
  });

  test("alerts kept open (a failed check) are not resolved", () => {
    const t = transitions(
      [
        { id: "1", key: "x", fingerprint: "a" },
        { id: "2", key: "check-failed", fingerprint: "a" },
      ],
      [],
      AT,
      (key) => key !== "check-failed",
    );
    expect(t).toEqual([{ kind: "resolved", id: "2", notify: true }]);
  });
});
