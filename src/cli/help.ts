/** Usage texts; keep in step with docs/cli.md. */

export const MAIN_HELP = `tracedeck — import, list and inspect AI-agent traces (offline)

Usage:
  tracedeck import FILE... [--workspace PATH] [--format ID] [--force] [--json]
  tracedeck ls [--workspace PATH] [--json] [--sort FIELD] [--dir asc|desc] [--limit N]
               [--offset N] [--text T] [--status S] [--format F]
  tracedeck show TRACE_ID [--workspace PATH] [--json]
  tracedeck serve [--port N] [--workspace PATH] [--no-open] [--no-otlp]
  tracedeck formats [--json]
  tracedeck help [COMMAND] | --help | --version

Workspace: --workspace, else $TRACEDECK_WORKSPACE, else
  ~/.local/share/tracedeck/workspace.tracedeck (or $XDG_DATA_HOME/tracedeck/…).

Exit codes: 0 ok, 1 failed (e.g. a file did not import), 2 usage error, 3 trace not found.
Details and --json shapes: docs/cli.md
`;

export const COMMAND_HELP: Record<string, string> = {
  import: `Usage: tracedeck import FILE... [--workspace PATH] [--format ID] [--force] [--json]

Imports each file in its own transaction; a file that fails is reported (stderr, naming the
file and the position) and the others still go in. Re-importing unchanged bytes is a no-op.

  --format ID   skip detection (ids: tracedeck formats)
  --force       import again even if these exact bytes were imported before
  --json        print the outcomes as JSON (docs/cli.md)

Exit: 0 all imported, 1 any file failed, 2 usage error.
`,
  ls: `Usage: tracedeck ls [--workspace PATH] [--json] [--sort FIELD] [--dir asc|desc] [--limit N]
                    [--offset N] [--text T] [--status S] [--format F]

  --sort FIELD   start name duration spans errors tokens toolCalls llmCalls cost status format imported
  --limit N      rows to show, 1..5000 (default 50)
  --text T       substring of name, trace id, service or source file
  --status S     ok, error, unset (repeat or comma-separate)
  --format F     format id (repeat or comma-separate)
`,
  show: `Usage: tracedeck show TRACE_ID [--workspace PATH] [--json]

Prints the trace as an indented span tree, or with --json the whole normalised trace: summary,
meta and every span with its body (docs/cli.md). Exit 3 when the trace is not in the workspace.
`,
  serve: `Usage: tracedeck serve [--port N] [--workspace PATH] [--no-open] [--no-otlp]

Serves the web UI (out/web; build it with \`npm run build:web\`) and the API on 127.0.0.1, and
receives OTLP/HTTP traces on /v1/traces. --port 0 picks a free port (default 4318, the OTLP
default). Stops on Ctrl+C / SIGTERM.
`,
  formats: `Usage: tracedeck formats [--json]

Lists the trace formats tracedeck reads, with their ids for --format.
`,
};
