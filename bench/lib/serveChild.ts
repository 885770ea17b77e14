// The backend as its own process (configured by JA_* variables), so benchmarks measure its memory alone.
import { runServeCommand } from "../../src/cli/serve";

runServeCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
