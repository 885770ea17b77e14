import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { PaneError } from "./errors";

/** A person (user account) as the pickers show it. */
export interface DirectoryPerson {
  readonly id: string;
  readonly displayName: string;
  /** The primary SMTP address; accounts without a mailbox have none and are not offered. */
  readonly mail: string;
  readonly userPrincipalName: string;
  readonly usageLocation?: string;
  readonly country?: string;
  readonly jobTitle?: string;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mail: string;
  readonly kind: "distribution" | "mail-enabled security" | "Microsoft 365";
}

/** The Graph reads the pane makes (least privilege: User.ReadBasic.All, GroupMember.Read.All). */
export interface DirectoryApi {
  searchPeople(query: string): Promise<DirectoryPerson[]>;
  /** Users whose usageLocation is one of the ISO country codes (suggested members for a region). */
  peopleInCountries(countries: readonly string[]): Promise<DirectoryPerson[]>;
  searchGroups(query: string): Promise<DirectoryGroup[]>;
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com, the emulator's https origin, or `<backend>/api/graph` (the relay). */
  readonly baseUrl: string;
  readonly getToken: () => Promise<string>;
}

/** What User.ReadBasic.All may read; asking for more is refused (403) for every user. */
const USER_BASIC_FIELDS = "id,displayName,mail,userPrincipalName";
/** usageLocation and country need User.Read.All (only for suggestions; their failure is shown, not fatal). */
const USER_LOCATION_FIELDS = "id,displayName,mail,userPrincipalName,usageLocation,country";
const GROUP_FIELDS = "id,displayName,mail,mailEnabled,securityEnabled,groupTypes";
const PAGE = 25;

/** Graph's $search syntax: the term is quoted, quotes and backslashes inside it escaped. */
function searchTerm(property: string, query: string): string {
  return `"${property}:${query.replace(/["\\]/g, "")}"`;
}

function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string;
  usageLocation?: string | null;
  country?: string | null;
  jobTitle?: string | null;
}

interface GraphGroup {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
}

function toPerson(u: GraphUser): DirectoryPerson | null {
  if (!u.mail) return null;
  return {
    id: u.id,
    displayName: u.displayName ?? u.mail,
    mail: u.mail,
    userPrincipalName: u.userPrincipalName ?? u.mail,
    ...(u.usageLocation ? { usageLocation: u.usageLocation } : {}),
    ...(u.country ? { country: u.country } : {}),
    ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}),
  };
}

function toGroup(g: GraphGroup): DirectoryGroup | null {
  if (!g.mail || g.mailEnabled === false) return null;
  const kind = (g.groupTypes ?? []).includes("Unified")
    ? "Microsoft 365"
    : g.securityEnabled
      ? "mail-enabled security"
      : "distribution";
  return { id: g.id, displayName: g.displayName ?? g.mail, mail: g.mail, kind };
}

function graphError(err: unknown): PaneError {
  if (err instanceof GraphError) {
    if (err.statusCode === 403 || err.statusCode === 401) {
      return new PaneError("graph_forbidden", err.message, { status: err.statusCode, remoteCode: err.code ?? "" });
    }
    if (err.statusCode === 429) return new PaneError("graph_throttled", err.message, { status: 429 });
    if (err.statusCode === -1) return new PaneError("network_unreachable", err.message);
    return new PaneError("graph_error", err.message, { status: err.statusCode, remoteCode: err.code ?? "" });
  }
  if (err instanceof PaneError) return err;
  return new PaneError("graph_error", err instanceof Error ? err.message : String(err));
}

/**
 * The Graph client for the pane. graph-client adds the Authorization header only to https hosts it
 * knows (graph.microsoft.com and friends) or lists in customHosts; the emulator's host goes there,
 * or the token silently goes missing (reference §4 "Emulator trap"). Its RetryHandler retries
 * 429/503/504 after Retry-After.
 */
export function createGraphDirectory(options: GraphClientOptions): DirectoryApi {
  const base = new URL(options.baseUrl);
  const client = Client.initWithMiddleware({
    authProvider: { getAccessToken: () => options.getToken() },
    // Graph itself (path "/"), or the backend's read-only relay ("/api/graph/") under Teams SSO.
    baseUrl: `${base.origin}${base.pathname.replace(/\/*$/, "/")}`,
    customHosts: new Set([base.hostname]),
    defaultVersion: "v1.0",
  });

  async function users(request: () => Promise<{ value?: GraphUser[] }>): Promise<DirectoryPerson[]> {
    try {
      const page = await request();
      return (page.value ?? []).map(toPerson).filter((p): p is DirectoryPerson => p !== null);
    } catch (err) {
      throw graphError(err);
    }
  }

  return {
    searchPeople(query: string): Promise<DirectoryPerson[]> {
      const q = query.trim();
      if (q === "") return Promise.resolve([]);
      return users(
        () =>
          client
            .api("/users")
            .header("ConsistencyLevel", "eventual")
            .query({ $search: `${searchTerm("displayName", q)} OR ${searchTerm("mail", q)}` })
            .select(USER_BASIC_FIELDS)
            .top(PAGE)
            .get() as Promise<{ value?: GraphUser[] }>,
      );
    },
    peopleInCountries(countries: readonly string[]): Promise<DirectoryPerson[]> {
      if (countries.length === 0) return Promise.resolve([]);
      const filter = countries.map((c) => `usageLocation eq ${odataString(c)}`).join(" or ");
      return users(
        () =>
          client
            .api("/users")
            .header("ConsistencyLevel", "eventual")
            .query({ $count: "true" })
            .filter(filter)
            .select(USER_LOCATION_FIELDS)
            .top(100)
            .get() as Promise<{ value?: GraphUser[] }>,
      );
    },
    async searchGroups(query: string): Promise<DirectoryGroup[]> {
      const q = query.trim();
      if (q === "") return [];
      try {
        const page = (await client
          .api("/groups")
          .header("ConsistencyLevel", "eventual")
          .query({ $search: `${searchTerm("displayName", q)} OR ${searchTerm("mail", q)}` })
          .select(GROUP_FIELDS)
          .top(PAGE)
          .get()) as { value?: GraphGroup[] };
        return (page.value ?? []).map(toGroup).filter((g): g is DirectoryGroup => g !== null);
      } catch (err) {
        throw graphError(err);
      }
    },
  };
}
