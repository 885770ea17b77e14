import { spawn } from "node:child_process";
import { getCmdletSpec, type Parameters } from "../../core/exchange/catalog";
import { classifyException, ExchangeError } from "./errors";
import { stripAnnotations } from "./restTransport";
import type { ExchangeIdentity, ExchangeRunner, Row } from "./runner";

/**
 * The optional PowerShell transport: ExchangeOnlineManagement's Connect-ExchangeOnline
 * -AccessToken, for operators who prefer the module. The script text below is constant: the
 * cmdlet name, its parameters and the token arrive as JSON on stdin, are deserialised into a
 * hashtable and splatted, so no value is ever spliced into script text (and the token is not on
 * the command line, where `ps` would show it). One pwsh process per call: slow, but simple and
 * isolated; the REST transport is the default.
 */
export const PWSH_SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$request = [Console]::In.ReadToEnd() | ConvertFrom-Json -AsHashtable
try {
  Import-Module ExchangeOnlineManagement -MinimumVersion 3.1.0
  $connect = @{ AccessToken = $request.token; UserPrincipalName = $request.upn; ConnectionUri = $request.connectionUri; ShowBanner = $false; SkipLoadingFormatData = $true; CommandName = $request.cmdlet }
  Connect-ExchangeOnline @connect | Out-Null
  $parameters = $request.parameters
  $rows = @(& $request.cmdlet @parameters)
  [pscustomobject]@{ ok = $true; rows = @($rows | Select-Object -Property *) } | ConvertTo-Json -Depth 8 -Compress
} catch {
  [pscustomobject]@{ ok = $false; type = $_.Exception.GetType().FullName; message = $_.Exception.Message } | ConvertTo-Json -Compress
} finally {
  Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}
`;

export interface PwshTransportOptions {
  readonly identity: ExchangeIdentity;
  /** Exchange's base URL (the module's -ConnectionUri is derived from it). */
  readonly exchangeUrl: string;
  /** The pwsh executable (default "pwsh" on PATH). */
  readonly pwshPath?: string;
  readonly timeoutMs?: number;
}

export function createPwshTransport(options: PwshTransportOptions): ExchangeRunner {
  return {
    async run(cmdlet: string, parameters: Parameters): Promise<Row[]> {
      // Only catalogued cmdlet names reach PowerShell, even though the name is passed as data.
      if (!getCmdletSpec(cmdlet)) throw new ExchangeError("validation", `${cmdlet} is not a cmdlet this product runs`);
      const token = await options.identity.token();
      const connectionUri = `${new URL(options.exchangeUrl).origin}/powershell-liveid/`;
      const input = JSON.stringify({ cmdlet, parameters, token, upn: options.identity.upn, connectionUri });
      const output = await runPwsh(options.pwshPath ?? "pwsh", input, options.timeoutMs ?? 15 * 60 * 1000);
      let result: { ok?: unknown; rows?: unknown; type?: unknown; message?: unknown };
      try {
        result = JSON.parse(output) as typeof result;
      } catch {
        throw new ExchangeError("transient", `${cmdlet}: pwsh printed no result`);
      }
      if (result.ok !== true) {
        throw classifyException(
          cmdlet,
          typeof result.type === "string" ? result.type : "",
          typeof result.message === "string" ? result.message : "no message",
        );
      }
      const rows = Array.isArray(result.rows) ? result.rows : result.rows ? [result.rows] : [];
      return rows.filter((r): r is Row => typeof r === "object" && r !== null).map(stripAnnotations);
    },
  };
}

function runPwsh(pwshPath: string, stdin: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // stderr is discarded, not piped: an unread pipe fills up (module warnings, verbose output) and
    // blocks pwsh until the timeout; the result always arrives as JSON on stdout.
    const child = spawn(pwshPath, ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", PWSH_SCRIPT], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new ExchangeError("transient", `pwsh did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new ExchangeError("transient", `cannot start ${pwshPath}: ${e.message}`));
    });
    child.on("close", () => {
      clearTimeout(timer);
      // The last line holds the JSON result; module banners or warnings come before it.
      const lines = out.trim().split(/\r?\n/);
      resolve(lines[lines.length - 1] ?? "");
    });
    child.stdin.end(stdin);
  });
}

/** Whether a pwsh executable is on PATH (the transport's tests run only there). */
export function findPwsh(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("pwsh", ["-NoLogo", "-NoProfile", "-Command", "$PSVersionTable.PSVersion.Major"], {
      stdio: "ignore",
    });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
