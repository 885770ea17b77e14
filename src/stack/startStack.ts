import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorConfig } from "../emulator/config";
import { updateExchangeSettings } from "../emulator/exchange/settings";
import { resolveEmulatorPort, serviceOfHost } from "../emulator/publicHosts";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import type { ConnectTo } from "../server/net/httpClient";
import { createDevHostHandler, type DevHostOptions } from "../devhost/hostServer";
import { startBackend, type BackendOptions, type RunningBackend } from "../server/app";
import { buildConfig, type ConfigFile, type ServerConfig } from "../server/config";
import { createLogger } from "../server/log";
import { packageRoot } from "../server/packageRoot";
import type { ServedPaneConfig } from "../server/pane/site";
import { STACK_DEFAULT_PORTS } from "./defaults";
import { devHostEmulatorOptions } from "./devHostEmulator";
import { DEFAULT_DIST_DIR, ensurePaneBuilt } from "./paneBuild";
import { startPaneServer, type RunningPaneServer } from "./paneDevServer";
import { seedDemoMailbox } from "./demoMailbox";
import { emulatorTeamsManifest, stackTeamsSeeds } from "./teamsApp";

/**
 * The development stack, wired once: the emulator, the backend configured for it (the same settings
 * an operator puts in JA_* variables), and the pane's development server with the local host page.
 * `npm start`, the tests and the benchmarks all start it here; they differ only in options.
 */
export interface StackOptions {
  /** Emulator state, certificates and the backend's database go below this folder. */
  readonly dataDir: string;
  /** 0 = any free port. Defaults: `STACK_DEFAULT_PORTS`. */
  readonly ports?: { readonly emulator?: number; readonly backend?: number; readonly pane?: number };
  /** The emulator's response delays (default realistic). */
  readonly latency?: "realistic" | "none";
  /** The pane's development server; false = emulator and backend only (API tests, benchmarks). */
  readonly pane?: false | PaneOptions;
  /** How the backend logs, retries and shuts down (tests shorten waits). */
  readonly backend?: BackendOptions;
  /** Further backend settings, as in its config file (e.g. messageTraceTtlSeconds). */
  readonly backendConfig?: Partial<ConfigFile>;
  /** The origin the backend allows by CORS (the pane's own origin needs none: it forwards /api). */
  readonly paneOrigin?: string | null;
  /** Progress lines while starting (e.g. "building the pane"). */
  readonly onProgress?: (line: string) => void;
  /**
   * External messages per hour that the emulator's tenants receive (its `mailFlow.ratePerHour`), so
   * journal rules produce reports and the Status chart has something to show. Default 0: off, as
   * the tests want it; `npm start` turns it on (DEMO_MAIL_FLOW_PER_HOUR).
   */
  readonly mailFlowPerHour?: number;
  /**
   * The emulator answers as Microsoft's hosts (login.microsoftonline.com, graph.microsoft.com,
   * outlook.office365.com, ...), on port 443 unless `ports.emulator` says otherwise. The backend then
   * runs with Microsoft's URLs (its defaults) and reaches those names on the emulator without a
   * hosts-file entry; the browser needs the hosts-file lines (`publicHostsText`).
   */
  readonly publicHosts?: boolean;
}

/** What `npm start` lets the demo tenants receive: one external message a minute. */
export const DEMO_MAIL_FLOW_PER_HOUR = 60;

export interface PaneOptions {
  /** Folder with the pane's build (default dist/pane, built when missing or stale). */
  readonly distDir?: string;
  /** Mounts the local Teams / Outlook host page at /_devhost/ on the pane's origin; false = none. */
  readonly devHost?: DevHostForStack | false;
}

/** The dev host's settings for the stack; the emulator part is taken from the stack's emulator. */
export type DevHostForStack = Omit<DevHostOptions, "emulator" | "appUrl" | "pageEntry"> & {
  readonly appUrl?: string;
  /** The emulator tenant the host signs in to (default contoso.onmicrosoft.com). */
  readonly tenant?: string;
};

export interface RunningStack {
  readonly emulator: RunningEmulator;
  readonly backend: RunningBackend;
  readonly backendConfig: ServerConfig;
  /** Null when started with `pane: false`. */
  readonly pane: RunningPaneServer | null;
  /** `${pane.origin}/_devhost/` when the host page is mounted. */
  readonly devHostUrl: string | null;
  /** Stops the pane, the backend (runs reach a safe point) and the emulator, in that order. */
  close(): Promise<void>;
}

/** The seed Exchange Administrator the local host page signs in as (`npm start`). */
export const DEV_HOST_USER = { upn: "exchange.admin@contoso.com", password: "exchange.admin-Pass1!" } as const;

/** The manifest's `id`: the Teams app whose tab an alert's deep link opens. */
function teamsAppIdOf(manifest: Record<string, unknown>): string {
  if (typeof manifest.id !== "string") throw new Error("the Teams manifest template has no id");
  return manifest.id;
}

/** Backend settings that point at a running emulator (its endpoints: local, or Microsoft's in public-hosts mode). */
export function backendConfigFromEmulator(
  emulator: Pick<EmulatorConfig, "origin" | "caPath" | "apps" | "endpoints" | "tenants">,
  settings: { dataDir: string; port?: number; paneOrigin?: string | null; overrides?: Partial<ConfigFile> },
): ServerConfig {
  // No environment: the stack's backend is configured for its emulator only, whatever JA_* the shell has.
  return buildConfig(
    {},
    {
      overrides: {
        port: settings.port ?? 0,
        clientId: emulator.apps.api.clientId,
        clientSecret: emulator.apps.api.secret,
        apiAudience: emulator.apps.api.identifierUri,
        authorityHost: emulator.endpoints.login,
        exchangeUrl: new URL(emulator.endpoints.exchange).origin,
        graphUrl: new URL(emulator.endpoints.graph).origin,
        caFile: emulator.caPath,
        dataDir: settings.dataDir,
        // The stack serves the emulator's organisations, as `serve` serves its allow-list.
        allowedTenants: emulator.tenants.map((t) => t.id),
        // Alert deep links open the Teams app the emulator's tenants have installed.
        teamsAppId: teamsAppIdOf(emulatorTeamsManifest()),
        ...(settings.paneOrigin ? { paneOrigin: settings.paneOrigin } : {}),
        ...settings.overrides,
      },
    },
  );
}

/** The pane's runtime configuration for a running emulator (the same keys a real tenant needs). */
export function paneConfigFromEmulator(
  emulator: Pick<EmulatorConfig, "origin" | "apps" | "endpoints" | "publicHosts">,
): ServedPaneConfig {
  return {
    // Multi-tenant: the user's tenant comes from the account that signs in.
    authority: `${emulator.endpoints.login}/organizations`,
    clientId: emulator.apps.pane.clientId,
    // MSAL knows Microsoft's own authority host; any other must be declared.
    knownAuthorities: emulator.publicHosts ? [] : [new URL(emulator.endpoints.login).host],
    graphBaseUrl: new URL(emulator.endpoints.graph).origin,
    apiScope: emulator.apps.api.scope,
  };
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const ports = {
    ...STACK_DEFAULT_PORTS,
    ...options.ports,
    emulator: resolveEmulatorPort(
      {
        ...(options.ports?.emulator === undefined ? {} : { port: options.ports.emulator }),
        publicHosts: options.publicHosts === true,
      },
      STACK_DEFAULT_PORTS.emulator,
    ),
  };
  const started: { close(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const part of started.splice(0).reverse()) {
      try {
        await part.close();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "stopping the stack failed");
  };
  try {
    const emulator = await startEmulator({
      port: ports.emulator,
      dataDir: join(options.dataDir, "emulator"),
      stateFile: join(options.dataDir, "emulator", "state.json"),
      latency: options.latency ?? "realistic",
      ...(options.publicHosts ? { publicHosts: true } : {}),
      // The product's Teams app, installed for the seed users and the dev host's team (activity feed).
      teams: stackTeamsSeeds(ports.pane ? `https://localhost:${ports.pane}` : undefined),
    });
    started.push(emulator);
    if (options.mailFlowPerHour) {
      setMailFlow(emulator, options.mailFlowPerHour);
      // The demo (npm start): messages in the dev host user's mailbox for the Outlook mode.
      seedDemoMailbox(emulator, DEV_HOST_USER.upn);
    }
    const backendConfig = backendConfigFromEmulator(emulator.config, {
      dataDir: join(options.dataDir, "backend"),
      port: ports.backend,
      // The pane's origin when its port is fixed (npm start): admin consent returns the admin there.
      paneOrigin: options.paneOrigin ?? (ports.pane ? `https://localhost:${ports.pane}` : null),
      ...(options.backendConfig ? { overrides: options.backendConfig } : {}),
    });
    const backend = await startBackend(backendConfig, {
      log: createLogger(backendConfig.logLevel),
      ...(emulator.publicHosts ? { connectTo: publicHostsConnectTo(emulator) } : {}),
      ...options.backend,
    });
    started.push(backend);
    let pane: RunningPaneServer | null = null;
    let devHostUrl: string | null = null;
    if (options.pane !== false) {
      const paneOptions = options.pane ?? {};
      const distDir = paneOptions.distDir ?? DEFAULT_DIST_DIR;
      await ensurePaneBuilt(distDir, options.onProgress);
      const devHost = paneOptions.devHost === undefined ? { user: DEV_HOST_USER } : paneOptions.devHost;
      pane = await startPaneServer({
        port: ports.pane,
        distDir,
        tls: await localhostCertificate(emulator.config),
        config: paneConfigFromEmulator(emulator.config),
        apiProxy: { target: backend.url, ca: emulator.caPem },
        ...(devHost === false ? {} : { devHost: devHostFor(emulator, devHost) }),
      });
      started.push(pane);
      if (devHost !== false) devHostUrl = `${pane.origin}/_devhost/`;
    }
    return { emulator, backend, backendConfig, pane, devHostUrl, close: stopAll };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

/** Microsoft's host names on port 443 go to the emulator's socket; everything else resolves as usual. */
export function publicHostsConnectTo(emulator: Pick<RunningEmulator, "origin">): ConnectTo {
  const port = Number(new URL(emulator.origin).port || "443");
  return (host, hostPort) =>
    hostPort === 443 && serviceOfHost(host) !== undefined ? { host: "127.0.0.1", port } : undefined;
}

/** The emulator's continuous mail stream for every tenant: the change `PUT /_emulator/tenants/{t}/exchange/settings` makes. */
function setMailFlow(emulator: RunningEmulator, ratePerHour: number): void {
  for (const tenant of emulator.state.tenants) {
    const result = updateExchangeSettings(tenant.exchange, { mailFlow: { ratePerHour } });
    if (!result.ok) {
      throw new Error(
        `mail flow of ${ratePerHour} messages an hour: ${result.errors.map((e) => e.message).join("; ")}`,
      );
    }
  }
  emulator.state.changed();
}

/** The emulator's localhost certificate (from its CA), so the browser trusts the pane once it trusts the CA. */
async function localhostCertificate(config: Pick<EmulatorConfig, "caPath">): Promise<{ cert: Buffer; key: Buffer }> {
  const dir = join(config.caPath, "..");
  const [cert, key] = await Promise.all([readFile(join(dir, "server.pem")), readFile(join(dir, "server-key.pem"))]);
  return { cert, key };
}

function devHostFor(emulator: RunningEmulator, options: DevHostForStack): ReturnType<typeof createDevHostHandler> {
  const { tenant, appUrl, ...hostOptions } = options;
  return createDevHostHandler({
    ...hostOptions,
    appUrl: appUrl ?? "/index.html",
    // The host page's script is bundled from its sources on first use.
    pageEntry: join(packageRoot(), "src", "devhost", "page", "hostPage.ts"),
    emulator: devHostEmulatorOptions(emulator, tenant),
  });
}
