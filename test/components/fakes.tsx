import type React from "react";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { area1 } from "../../src/core/profiles/area1";
import type { BackendApi, MeResponse, Run } from "../../src/services/backend/types";
import type { DirectoryApi } from "../../src/services/graphClient";
import type { HostService } from "../../src/services/host";
import { ServicesProvider, type PaneServices } from "../../src/components/services/ServicesContext";

/** Services for component tests: each test passes only the backend / directory calls it uses. */
export function services(
  over: {
    backend?: Partial<BackendApi>;
    directory?: Partial<DirectoryApi>;
    canChange?: boolean;
    access?: MeResponse["access"];
  } = {},
): PaneServices {
  const missing = (name: string) => () => Promise.reject(new Error(`${name} not expected in this test`));
  const backend = new Proxy(over.backend ?? {}, {
    get: (target, key: string) => (target as Record<string, unknown>)[key] ?? missing(key),
  }) as BackendApi;
  const directory: DirectoryApi = {
    searchPeople: () => Promise.resolve([]),
    peopleInCountries: () => Promise.resolve([]),
    searchGroups: () => Promise.resolve([]),
    ...over.directory,
  };
  const host: HostService = {
    kind: "browser",
    theme: "light",
    onThemeChange: () => () => undefined,
    progressLink: () => "https://pane.test/#/progress",
    copyText: () => Promise.resolve(),
  };
  const session: MeResponse = {
    user: { oid: "1", upn: "admin@contoso.com", name: "Megan Admin" },
    tenant: { id: "t", name: "Contoso" },
    roles: ["Global Administrator"],
    canChange: over.canChange ?? true,
    requiredRoles: ["Exchange Administrator", "Global Administrator"],
    access: over.access ?? { kind: "entraAdmin", rolesFrom: "token", text: "Entra role Global Administrator." },
  };
  return {
    backend,
    directory,
    host,
    auth: {
      initialize: () => Promise.resolve(null),
      signIn: () => Promise.resolve(),
      signOut: () => Promise.resolve(),
      getToken: () => Promise.resolve("t"),
    },
    profile: area1,
    session,
  };
}

/**
 * jsdom has no ResizeObserver; Fluent's MessageBar (layout "auto") measures itself with one. Call once at
 * the top of a test file that renders one; a real ResizeObserver, where there is one, is kept.
 */
export function stubResizeObserver(): void {
  class NoResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  beforeAll(() => {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoResizeObserver;
  });
}

export function Wrap({ value, children }: { value: PaneServices; children: React.ReactNode }): React.JSX.Element {
  return (
    <FluentProvider theme={teamsLightTheme}>
      <ServicesProvider value={value}>{children}</ServicesProvider>
    </FluentProvider>
  );
}

/** A running US-for-everyone apply, both actions pending (Apply step and its progress rows). */
export const usEveryoneRun: Run = {
  id: "r1",
  state: "running",
  startedBy: "admin@contoso.com",
  startedAt: "2026-01-01T00:00:00Z",
  planHash: "0123456789abcdef",
  resumes: 0,
  actions: [
    {
      id: "a1",
      cmdlet: "Set-TransportConfig",
      parameters: { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      reason: "No address receives undeliverable journal reports yet.",
      dependsOn: [],
      state: "pending",
      attempts: 0,
    },
    {
      id: "a2",
      cmdlet: "New-JournalRule",
      parameters: {
        Name: "Journal Messages to Cloudflare Area 1",
        JournalEmailAddress: "contoso@journaling.mxrecord.io",
        Scope: "External",
        Enabled: true,
      },
      reason: "No journal rule sends external mail of everyone to contoso@journaling.mxrecord.io.",
      dependsOn: ["a1"],
      state: "pending",
      attempts: 0,
    },
  ],
};
