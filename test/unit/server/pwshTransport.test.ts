import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPwshTransport } from "../../../src/server/exchange/pwshTransport";

/**
 * The pwsh transport's process handling, with a stand-in executable at the edge (the real module
 * is exercised in test/integration/server/pwsh.test.ts where pwsh is installed).
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-pwsh-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fakePwsh(body: string): string {
  const path = join(dir, "pwsh");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test("a pwsh that writes a lot to stderr (module warnings) still returns its result", async () => {
  const pwshPath = fakePwsh(
    [
      "cat > /dev/null",
      // 1 MB of warnings: far more than a pipe buffer holds.
      "head -c 1000000 /dev/zero | tr '\\0' 'w' >&2",
      `echo '{"ok":true,"rows":[{"Name":"Deliver journal directly to Area 1"}]}'`,
    ].join("\n"),
  );
  const transport = createPwshTransport({
    identity: { tenantId: "t", upn: "admin@contoso.com", token: () => Promise.resolve("token") },
    exchangeUrl: "https://outlook.office365.com",
    pwshPath,
    timeoutMs: 10_000,
  });
  await expect(transport.run("Get-OutboundConnector", {})).resolves.toEqual([
    { Name: "Deliver journal directly to Area 1" },
  ]);
});
