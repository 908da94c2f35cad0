#!/usr/bin/env node
// The `sweep` executable: runs the CLI on this process's arguments and exits with its code. It exits
// explicitly: a user objective's leftover timers or sockets must not keep a finished study alive. It
// first waits for stdout and stderr to drain: output to a pipe is written asynchronously, and an exit
// before it is flushed cuts it (at 64 KiB, the pipe's buffer).
import { drain, ignoreClosedReader } from './drain.js';
import { runCli } from './main.js';

ignoreClosedReader(process.stdout);
ignoreClosedReader(process.stderr);
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
await Promise.all([drain(process.stdout), drain(process.stderr)]);
process.exit(code);
