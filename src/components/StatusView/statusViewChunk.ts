import { preloadable } from "../common/preloadable";

/** The Status view's chunk, preloadable (a tab opened on the status loads it while signing in). */
export const statusViewChunk = preloadable<{ onChangeSetup: () => void }>(
  () => import(/* webpackChunkName: "status-view" */ "./StatusView"),
);
