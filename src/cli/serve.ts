import { startBackend } from "../server/app";
import { ClientCertificateError, readClientCertificate } from "../server/auth/clientCertificate";
import {
  buildConfig,
  ConfigError,
  loadConfigFile,
  requireTenantScope,
  type ConfigFile,
  type ServerConfig,
} from "../server/config";
import { createLogger } from "../server/log";
import { createPaneRequestHandler, PaneServerError, type PaneRequestHandler } from "../server/pane/site";
import { portOption, processIO, runCommand, stopSignal, type CliIO } from "./command";
import { SERVE_COMMAND } from "./specs";

/**
 * `journaling-assistant serve`: the backend, configured by JA_* environment variables and/or a JSON
 * file (defaults: the real Microsoft endpoints). With a pane build (JA_PANE_DIST / --pane-dist) the
 * same origin also serves the pane, its /config.json and icons, so one https origin is all Teams and
 * Outlook need. Stops gracefully on SIGINT / SIGTERM: no new requests, runs reach a safe point, the
 * database closes.
 */

export interface ServeOptions {
  readonly io?: CliIO;
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly until?: Promise<void>;
  /** Receives the JSON log lines (default: stdout). */
  readonly logSink?: (line: string) => void;
}

/** The pane's handler in production mode: Microsoft's frame-ancestors only, unknown paths 404, no dev host. */
async function paneHandler(config: ServerConfig): Promise<PaneRequestHandler | undefined> {
  if (config.pane === null) return undefined;
  try {
    return await createPaneRequestHandler({
      distDir: config.pane.distDir,
      config: config.pane.runtime,
      production: true,
    });
  } catch (err) {
    if (err instanceof PaneServerError) {
      throw new ConfigError([{ path: "paneDist (JA_PANE_DIST / --pane-dist)", message: err.message }]);
    }
    throw err;
  }
}

export function runServeCommand(argv: readonly string[], options: ServeOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  return runCommand(SERVE_COMMAND, argv, io, async (values) => {
    let config: ServerConfig;
    let site: PaneRequestHandler | undefined;
    try {
      const file: ConfigFile | undefined = values.config ? loadConfigFile(values.config) : undefined;
      const overrides: Partial<ConfigFile> = {};
      const port = portOption("port", values.port);
      if (port !== undefined) overrides.port = port;
      if (values["pane-dist"] !== undefined) overrides.paneDist = values["pane-dist"];
      if (values["any-tenant"] === true) overrides.anyTenant = true;
      if (values.database !== undefined) overrides.databaseUrl = values.database;
      config = buildConfig(options.env ?? process.env, { ...(file ? { file } : {}), overrides });
      requireTenantScope(config);
      // A certificate that cannot sign would only show up at the monitor's first check: refuse it now.
      if (config.clientCertificate !== null) {
        try {
          readClientCertificate(config.clientCertificate);
        } catch (err) {
          if (!(err instanceof ClientCertificateError)) throw err;
          throw new ConfigError([{ path: "clientCertificate (JA_CLIENT_CERTIFICATE)", message: err.message }]);
        }
      }
      site = await paneHandler(config);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr(`${err.message}\nSee the README's configuration table (JA_* variables).\n`);
        return 2;
      }
      throw err;
    }
    const stop = options.until ?? stopSignal();
    const log = createLogger(config.logLevel, options.logSink);
    let backend;
    try {
      backend = await startBackend(config, { log, ...(site ? { site } : {}) });
    } catch (err) {
      io.stderr(`could not start the backend: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    if (config.tlsCertFile === null) {
      log.warn(
        "serving plain http: a TLS-terminating proxy in front of this server is expected (tokens, Teams and Outlook need https)",
        { url: backend.url, publicOrigin: config.paneOrigin },
      );
    }
    io.stderr(`backend: ${backend.url}\n`);
    if (config.pane !== null) io.stderr(`pane: ${backend.url}/ (public origin ${config.paneOrigin ?? ""})\n`);
    await stop;
    await backend.close();
    return 0;
  });
}
