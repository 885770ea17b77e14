/**
 * The contract: every shape that crosses a process boundary (API requests and responses, run
 * events, error codes, the pane's /config.json, role ids), written once and imported by the server
 * and the pane. This entry is zod-free, so the pane may import it; the request body schemas (zod)
 * are in ./requests, which only the server imports.
 */
export * from "./api";
export * from "./codes";
export * from "./config";
export * from "./errors";
export * from "./mailflow";
export * from "./monitor";
export * from "./progress";
export * from "./roles";
export * from "./runs";
export * from "./session";
export * from "./status";
