import { planSetup, quoteLiteral, renderCall, renderScript, type Plan } from "../../../src/core";
import { euIndia } from "./fixtures";

/** Reads back a PowerShell single-quoted literal the way the PowerShell tokenizer does. */
function unquote(literal: string): { value: string; rest: string } {
  const quotes = new Set(["'", "\u2018", "\u2019", "\u201A", "\u201B"]);
  if (!quotes.has(literal[0] ?? "")) throw new Error("not a literal");
  let value = "";
  let i = 1;
  for (;;) {
    const c = literal[i];
    if (c === undefined) throw new Error("unterminated");
    if (quotes.has(c)) {
      if (quotes.has(literal[i + 1] ?? "")) {
        value += c;
        i += 2;
        continue;
      }
      return { value, rest: literal.slice(i + 1) };
    }
    value += c;
    i++;
  }
}

describe("PowerShell rendering", () => {
  it.each([
    "O'Brien",
    "$(Remove-JournalRule -Identity x)",
    "`whoami`",
    "a; Remove-OutboundConnector x",
    "line1\nline2\r\nRemove-JournalRule",
    "\u2019; Remove-JournalRule x; \u2018",
    "''''",
    "@('a')",
  ])("keeps %j inside one literal", (input) => {
    const literal = quoteLiteral(input);
    const { value, rest } = unquote(literal);
    expect(value).toBe(input);
    expect(rest).toBe("");
  });

  it("renders arrays, booleans, null and switches as PowerShell expects", () => {
    expect(renderCall("Set-JournalRule", { Identity: "R", Recipient: null })).toBe(
      "Set-JournalRule -Identity 'R' -Recipient $null",
    );
    expect(renderCall("Remove-JournalRule", { Identity: "R", Confirm: false })).toBe(
      "Remove-JournalRule -Identity 'R' -Confirm:$false",
    );
    expect(
      renderCall("New-OutboundConnector", {
        Name: "C",
        RecipientDomains: ["a.example", "b'c"],
        UseMXRecord: false,
        Enabled: true,
      }),
    ).toBe(
      "New-OutboundConnector -Name 'C' -RecipientDomains @('a.example','b''c') -UseMXRecord $false -Enabled $true",
    );
  });

  it("refuses parameter names that are not the cmdlet's (no injection through names)", () => {
    expect(() => renderCall("New-JournalRule", { "Name; Remove-JournalRule": "x" })).toThrow(RangeError);
    expect(() => renderCall("Invoke-Expression", { Command: "x" })).toThrow(RangeError);
  });

  it("renders a runnable script: header, warnings as comments, one cmdlet a line", () => {
    const r = planSetup(euIndia, {
      "Get-OutboundConnector": [],
      "Get-TransportConfig": { JournalingReportNdrTo: "<>" },
      "Get-JournalRule": [],
      "Get-DistributionGroup": [],
      "Get-DistributionGroupMember": {},
    });
    if (!r.ok) throw new Error("plan failed");
    const script = renderScript(r.plan, { title: "Test\nInjected" });
    const lines = script.trimEnd().split("\n");
    expect(lines[0]).toBe("# Test Injected");
    expect(script).toContain("Connect-ExchangeOnline");
    const code = lines.filter((l) => l && !l.startsWith("#"));
    expect(code[0]).toBe("$ErrorActionPreference = 'Stop'");
    expect(code.slice(1).map((l) => l.split(" ")[0])).toEqual(r.plan.actions.map((a) => a.cmdlet));
  });

  it("an empty plan says there is nothing to do", () => {
    const empty: Plan = { actions: [], warnings: [] };
    expect(renderScript(empty, { title: "t" })).toContain("Nothing to do");
  });
});
