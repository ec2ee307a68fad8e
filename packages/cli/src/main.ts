/** Entry point: `pnpm haki ...` (the root script runs this file with tsx). */
import { main, nodeIo } from "./cli";

process.exitCode = await main(process.argv.slice(2), nodeIo());
