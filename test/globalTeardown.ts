import { stopClusterForRun } from "./postgres/cluster";

/** Runs once after every test file: stops the run's PostgreSQL cluster and removes its folder. */
export default function globalTeardown(): void {
  stopClusterForRun();
}
