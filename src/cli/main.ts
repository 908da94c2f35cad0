// The sweep command line: commands wired with cac, and the single error boundary that turns any
// error into one line (plus a hint) and an exit code. bin.ts runs it.
import { cac } from 'cac';
import { isSweepError } from '../errors.js';
import { onDatabaseWait } from '../tracking/postgres/database-wait.js';
// Command modules load on demand, so one command's dependencies never slow another's start-up.
const run = () => import('./commands/run.js');
const runWorkers = () => import('./commands/run-workers.js');
const query = () => import('./commands/query.js');
const server = () => import('./commands/server.js');
const runs = () => import('./commands/runs.js');
const experiments = () => import('./commands/experiments.js');
const models = () => import('./commands/models.js');
import type { CliIO } from './io.js';
import { camelCase, joinNegativeValues, typedValues, type TakesValue } from './typed-argv.js';
import { checkSwitchesAndArguments } from './switches.js';

const VERSION = '0.1.0';

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const cli = cac('sweep');
  let pending: Promise<number> | undefined;
  const storage = ['--storage <uri>', 'Tracking store: sqlite:<path> (default sqlite:./sweep.db, or $SWEEP_TRACKING_URI), memory:'] as const;

  cli
    .command('run [study-file]', 'Run (or resume) the study a TypeScript/JavaScript file default-exports')
    .option('--trials <n>', 'Trials to run in this invocation (default: the study\'s `trials`, else 100)')
    .option('--max-trials <n>', 'Cap on the study\'s total trials, across every process sharing the storage')
    .option('--timeout <sec>', 'Stop starting trials after this many seconds; running ones finish')
    .option('--max-failures <n>', 'Stop after this many failed trials')
    .option('--retry-failed <n>', 'Run the params of a failed trial again, up to n times')
    .option('--jobs <k>', 'Trials at once (default 1)')
    .option('--executor <name>', 'inline | threads | process (default: process for a command, threads when --jobs > 1, else inline)')
    .option('--reproducible', 'With --jobs > 1: the same seed gives the same params whatever order trials end in (trials start in batches of --jobs)')
    .option('--trial-timeout <sec>', 'Fail a trial running longer than this (threads, process)')
    .option('--heartbeat-interval <sec>', 'How often running trials are marked alive in the store (default 5)')
    .option('--stale-after <sec>', 'Fail a RUNNING trial of any process, on any host, after this long without a heartbeat (default 60)')
    .option('--max-old-space <mb>', 'Heap limit of each worker thread')
    .option('--command <cmd>', 'Run this command per trial, with {param} placeholders (process executor)')
    .option('--space <file>', 'Search space for --command: JSON, or a TS/JS module default-exporting a space')
    .option('--sampler <spec>', 'random | grid | tpe, or JSON with options: \'{"name": "tpe", "gamma": 0.2}\' (default: the study file\'s, else tpe)')
    .option('--pruner <spec>', 'none | median | percentile | asha | hyperband | threshold | patient, or JSON {"name": ..., options}')
    .option('--seed <n>', 'Seed for the sampler (default: the study\'s stored seed)')
    .option('--study <name>', 'Study name (default: the name in the file); a new name starts a new study')
    .option(...storage)
    .option('--artifacts <dir|url>', 'Where new experiments keep artifacts: a directory, or a sweep/MLflow server (http://host:5000) to upload them to')
    .action((file: string | undefined, flags: Record<string, unknown>) => {
      // Worker threads (if the run uses them) start loading while this thread loads `sweep run`.
      pending = runWorkers().then(async ({ startRunWorkers }) => {
        const workers = startRunWorkers(file, flags);
        return (await run()).runCommand(file, flags, io, workers);
      });
    });
  cli
    .command('best', 'Show the best trial of a study (the Pareto front with several objectives)')
    .option('--study <name>', 'Study (default: the only one in the store)')
    .option('--top <k>', 'Show the k best trials (ignored with several objectives: the whole front is shown)')
    .option('--json', 'Print JSON (one object; an array with --top)')
    .option('--register <name>', 'Register the best trial\'s logged model under this name (a new version)')
    .option('--alias <alias>', 'With --register: point this alias (e.g. champion) at the new version')
    .option('--model-path <path>', 'With --register: the model\'s artifact path in the run (default model)')
    .option(...storage)
    .action((flags: Record<string, unknown>) => (pending = query().then((m) => m.bestCommand(flags, io))));
  cli
    .command('studies', 'List the studies in the store')
    .option('--json', 'Print JSON')
    .option(...storage)
    .action((flags: Record<string, unknown>) => (pending = query().then((m) => m.studiesCommand(flags, io))));
  cli
    .command('trials [study]', 'List the trials of a study (default: the only one in the store)')
    .option('--study <name>', 'The study, as the argument names it (default: the only one in the store)')
    .option('--state <state>', 'Only trials in this state (COMPLETE, PRUNED, FAIL, RUNNING, WAITING)')
    .option('--json', 'Print JSON')
    .option('--csv', 'Print CSV (one column per objective)')
    .option(...storage)
    .action((study: string | undefined, flags: Record<string, unknown>) => (pending = query().then((m) => m.trialsCommand(study, flags, io))));
  cli
    .command('ui', 'Serve the web UI (and the REST API) for a store; prints the URL to open')
    .option('--port <port>', 'Port (default 5000; 0 picks a free one)')
    .option('--token <token>', 'Require the token (or set $SWEEP_SERVER_TOKEN); the printed URL logs the browser in once')
    .option('--access-log', 'Log every request to stderr (default off for ui)')
    .option(...storage)
    .action((flags: Record<string, unknown>) => (pending = server().then((m) => m.uiCommand(flags, io))));
  cli
    .command('server', 'Serve the store over MLflow\'s REST API and the web UI (MLflow clients can log to it)')
    .option('--host <host>', 'Address to bind (default 127.0.0.1, loopback only)')
    .option('--port <port>', 'Port (default 5000; 0 picks a free one)')
    .option('--artifacts-destination <dir>', 'Where uploaded artifacts go (default: the store\'s artifact directory)')
    .option('--request-timeout <sec>', 'Answer 408 to a request not received whole within this many seconds, headers and body (default 600: a 1 GiB upload at 1.8 MB/s)')
    .option('--token <token>', 'Require "Authorization: Bearer <token>" on every request (or set $SWEEP_SERVER_TOKEN); browsers log in with the printed link')
    .option('--no-access-log', 'Do not log requests (default: one line per request on stderr)')
    .option(...storage)
    .action((flags: Record<string, unknown>) => (pending = server().then((m) => m.serverCommand(flags, io))));
  cli
    .command('runs <action> [...args]', 'Runs: search | get RUN_ID | delete RUN_ID | restore RUN_ID')
    .option('--experiment <name>', 'search: experiment name or id (repeatable; default: every active experiment)')
    .option('--filter <filter>', 'search: MLflow filter, e.g. "metrics.loss < 0.5 and params.opt = \'adam\'"')
    .option('--order-by <clause>', 'search: e.g. "metrics.loss ASC" (repeatable)')
    .option('--max-results <n>', 'search: page size (default 1000, at most 50000)')
    .option('--page-token <token>', 'search: the token printed after a full page')
    .option('--view <view>', 'search: active (default), deleted or all')
    .option('--nested', 'search: top-level runs with their children below them (a parent is listed when it or a child matches; sweep extension)')
    .option('--json', 'Print JSON')
    .option('--csv', 'search: print CSV')
    .option(...storage)
    .action((action: string, args: string[], flags: Record<string, unknown>) => (pending = runs().then((m) => m.runsCommand(action, args, flags, io))));
  cli
    .command('experiments <action> [...args]', 'Experiments: list | create NAME | rename NAME_OR_ID NEW_NAME | delete NAME_OR_ID | restore NAME_OR_ID')
    .option('--view <view>', 'list: active (default), deleted or all')
    .option('--tag <key=value>', 'create: an experiment tag (repeatable)')
    .option('--json', 'Print JSON')
    .option(...storage)
    .action((action: string, args: string[], flags: Record<string, unknown>) => (pending = experiments().then((m) => m.experimentsCommand(action, args, flags, io))));
  cli
    .command(
      'models <action> [...args]',
      'Model registry: list | get NAME | versions NAME | register NAME --run ID [--path model] | alias NAME ALIAS VERSION | stage NAME VERSION STAGE [--archive-existing] | delete NAME [VERSION] | download models:/NAME@ALIAS --dst DIR',
    )
    .option('--run <run_id>', 'register: the run that logged the model')
    .option('--path <path>', 'register: the model\'s artifact path in the run (default model)')
    .option('--description <text>', 'register: the new version\'s description')
    .option('--filter <filter>', 'list: MLflow registry filter, e.g. "name LIKE \'%gbm%\'"')
    .option('--archive-existing', 'stage: archive the other versions in that stage (Staging, Production)')
    .option('--dst <dir>', 'download: where to copy the model\'s files')
    .option('--json', 'Print JSON')
    .option(...storage)
    .action((action: string, args: string[], flags: Record<string, unknown>) => (pending = models().then((m) => m.modelsCommand(action, args, flags, io))));
  cli
    .command('metrics <action> [...args]', 'Metrics: history RUN_ID KEY (every logged point)')
    .option('--json', 'Print JSON')
    .option(...storage)
    .action((action: string, args: string[], flags: Record<string, unknown>) => (pending = runs().then((m) => m.metricsCommand(action, args, flags, io))));
  cli.help();
  cli.version(VERSION);

  // The one line a user waiting on an unreachable PostgreSQL sees before the retries run out.
  const stopWaitNotes = onDatabaseWait((w) => {
    io.stderr.write(`sweep: cannot reach PostgreSQL at ${w.uri} (${w.reason}); retrying for up to ${Math.round(w.retryForMs / 1000)} s (?retry_for=SECONDS)\n`);
  });
  try {
    // cac would turn numeric-looking values into numbers: the commands get them as typed.
    const valued = new Set([cli.globalCommand, ...cli.commands].flatMap((c) => c.options.filter((o) => o.isBoolean !== true).flatMap((o) => o.names)));
    const takesValue: TakesValue = (name) => valued.has(camelCase(name));
    const args = joinNegativeValues(argv, takesValue);
    cli.parse(['node', 'sweep', ...args], { run: false });
    for (const [name, values] of typedValues(args, takesValue)) cli.options[name] = values.length === 1 ? values[0] : values;
    if (!cli.matchedCommand) {
      if (cli.options['help'] || cli.options['version']) return 0;
      if (cli.args.length > 0) {
        io.stderr.write(`sweep: unknown command "${cli.args[0]}"\n  hint: sweep --help lists the commands\n`);
        return 2;
      }
      cli.outputHelp();
      return 0;
    }
    if (cli.options['help']) return 0;
    const command = cli.matchedCommand;
    checkSwitchesAndArguments(args, {
      name: command.name,
      switches: new Set([...cli.globalCommand.options, ...command.options].filter((o) => o.isBoolean === true).flatMap((o) => o.names)),
      maxArgs: command.args.some((a) => a.variadic) ? undefined : command.args.length,
    }, cli.args);
    await cli.runMatchedCommand();
    return pending === undefined ? 0 : await pending;
  } catch (error) {
    return reportError(error, io, argv);
  } finally {
    stopWaitNotes();
  }
}

/** Errors that are the input's fault, exit code 2: flags, a space, a study file that does not load. */
const BAD_INPUT: ReadonlySet<string> = new Set(['E_CONFIG', 'E_SEARCH_SPACE', 'E_OBJECTIVE_LOAD']);

function reportError(error: unknown, io: CliIO, argv: readonly string[]): number {
  if (isSweepError(error)) {
    io.stderr.write(`sweep: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  hint: ${error.hint}\n`);
    // Bad input: options, the space, and a study file that is missing or does not load.
    return BAD_INPUT.has(error.code) ? 2 : 1;
  }
  if (error instanceof Error && error.name === 'CACError') {
    io.stderr.write(`sweep: ${asTyped(error.message, argv)}\n  hint: sweep --help lists the commands and options\n`);
    return 2;
  }
  io.stderr.write(`sweep: unexpected error (a bug in sweep; please report it)\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/**
 * cac names an unknown option camelCased and without a `no-` prefix (`--bogusFlag`, `--such` for
 * `--no-such`): give it back as the user typed it.
 */
function asTyped(message: string, argv: readonly string[]): string {
  return message.replace(/^Unknown option `-{1,2}([^`=]+)[^`]*`/, (whole, name: string) => {
    const camel = (text: string): string => text.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const typed = argv.map((a) => a.split('=')[0] ?? a).find((a) => {
      const bare = a.replace(/^-+/, '');
      return a.startsWith('-') && (camel(bare) === name || (bare.startsWith('no-') && camel(bare.slice(3)) === name));
    });
    return typed === undefined ? whole : `Unknown option \`${typed}\``;
  });
}
