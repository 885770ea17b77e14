import { daemonCaller, fail, resetEmulator, run, startTenant, type Caller, type TestTenant } from "./client";

/**
 * -ResultSize is bound as PowerShell binds `Unlimited<UInt32>`: a number, a number written as text
 * ("3") or the word Unlimited in any case; and a result cut by an explicit -ResultSize carries the
 * "There are more results available…" warning, not the default limit's "By default, only the first
 * N items…" one. Over HTTPS through the admin API, as the REST transport calls it.
 */
let t: TestTenant;
let app: Caller;

beforeAll(async () => {
  t = await startTenant();
  app = await daemonCaller(t.emu);
});
afterAll(() => t.stop());
beforeEach(() => resetEmulator(t.emu));

const MORE_RESULTS =
  "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.";

describe("ResultSize binding and the truncation warning", () => {
  it('binds "3" as 3 rows and warns as Exchange does for an explicit ResultSize', async () => {
    const all = (await run(t.emu, app, "Get-Recipient", { ResultSize: "Unlimited" })).rows;
    expect(all.length).toBeGreaterThan(3);
    const three = await run(t.emu, app, "Get-Recipient", { ResultSize: "3" });
    expect(three.rows).toHaveLength(3);
    expect(three.warnings).toEqual([MORE_RESULTS]);
  });

  it.each(["unlimited", "UNLIMITED", " Unlimited "])("binds %p as Unlimited: every row, no warning", async (value) => {
    const all = (await run(t.emu, app, "Get-Mailbox", { ResultSize: "Unlimited" })).rows;
    const got = await run(t.emu, app, "Get-Mailbox", { ResultSize: value });
    expect(got.rows).toHaveLength(all.length);
    expect(got.warnings).toEqual([]);
  });

  it("a numeric ResultSize that cuts the result gets the explicit-size warning, never the default-limit text", async () => {
    const two = await run(t.emu, app, "Get-Mailbox", { ResultSize: 2 });
    expect(two.rows).toHaveLength(2);
    expect(two.warnings).toEqual([MORE_RESULTS]);
    expect(two.warnings.join(" ")).not.toMatch(/By default, only the first/);
  });

  it("a value that is neither a count nor Unlimited is still refused with PowerShell's conversion error", async () => {
    const e = await fail(t.emu, app, "Get-Mailbox", { ResultSize: "lots" });
    expect(e.message).toBe(
      'Cannot process argument transformation on parameter \'ResultSize\'. Cannot convert value "lots" to type "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]". Error: "Input string was not in a correct format."',
    );
  });
});
