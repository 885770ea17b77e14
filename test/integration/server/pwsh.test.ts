import { spawnSync } from "node:child_process";
import { ExchangeError } from "../../../src/server/exchange/errors";
import { createPwshTransport } from "../../../src/server/exchange/pwshTransport";

/**
 * The optional PowerShell transport needs pwsh with ExchangeOnlineManagement. Where pwsh is not
 * installed these tests are skipped, and say so.
 */
const pwsh = spawnSync("pwsh", ["-NoLogo", "-NoProfile", "-Command", "$PSVersionTable.PSVersion.Major"], {
  encoding: "utf8",
});
const hasPwsh = pwsh.error === undefined && pwsh.status === 0;
if (!hasPwsh) {
  console.log(
    "pwsh transport tests skipped: pwsh is not installed on this machine (install PowerShell 7 and ExchangeOnlineManagement to run them)",
  );
}
const pwshTest = hasPwsh ? test : test.skip;

pwshTest("parameters travel as data: PowerShell metacharacters in a value are never executed", async () => {
  const transport = createPwshTransport({
    exchangeUrl: "https://outlook.office365.com",
    identity: {
      tenantId: "00000000-0000-0000-0000-000000000000",
      upn: "nobody@example.invalid",
      token: () => Promise.resolve("not-a-token"),
    },
    timeoutMs: 120_000,
  });
  // Without a real tenant Connect-ExchangeOnline fails; the point is that the value below reaches
  // PowerShell as a string in a hashtable, so the failure is a cmdlet/connection error, not `exit 7`.
  const err = await transport.run("Get-JournalRule", { Identity: "x'; exit 7; #" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ExchangeError);
});

test("a cmdlet outside the catalog never reaches PowerShell (needs no pwsh)", async () => {
  const transport = createPwshTransport({
    exchangeUrl: "https://outlook.office365.com",
    identity: { tenantId: "t", upn: "u", token: () => Promise.resolve("t") },
  });
  await expect(transport.run("Remove-Item", {})).rejects.toMatchObject({ code: "validation" });
});
