import { describeError } from "../../src/components/errors/describeError";
import { PaneError } from "../../src/services/errors";

describe("describeError for Graph refusals", () => {
  it("asks to sign in again when Graph rejects the token (401)", () => {
    const text = describeError(new PaneError("graph_forbidden", "InvalidAuthenticationToken", { status: 401 }));
    expect(text.title).toBe("Please sign in again");
    expect(text.next).toMatch(/sign in again/i);
    expect(`${text.detail} ${text.next}`).not.toMatch(/User\.ReadBasic\.All/);
  });

  it("names the missing permission when Graph forbids the search (403)", () => {
    const text = describeError(new PaneError("graph_forbidden", "Authorization_RequestDenied", { status: 403 }));
    expect(text.title).toBe("The directory can't be searched");
    expect(text.detail).toMatch(/User\.ReadBasic\.All/);
  });
});
