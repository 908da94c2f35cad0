#!/usr/bin/env node
// The `sweep` executable: runs the CLI on this process's arguments and exits with its code. It exits
// explicitly: a user objective's leftover timers or sockets must not keep a finished study alive.
import { runCli } from './main.js';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exit(code);
