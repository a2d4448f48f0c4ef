#!/usr/bin/env node
/**
 * The `syscage` executable: runs the command line and exits with its code. Everything else is in
 * program.ts and commands/.
 */
import { run } from './program.ts';

process.exitCode = await run(process.argv.slice(2));
