// The console table and BENCHMARKS.md, from measured results only.
import type { FixedCost, Variant } from "./fixed-cost";
import {
  PACED_POINTS_PER_MINUTE,
  PROVIDER_P64_PARALLEL,
  STEP_LABELS,
  STEPS,
  type BenchSettings,
  type ClientName,
  type ScenarioResult,
  type StepFigures,
} from "./harness";
import {
  budgetFloorMs,
  budgetMinutes,
  contentFloorMs,
  createPoints,
  fmtMs,
  MEASURED_ELSEWHERE,
  realClockCreateFloorMs,
  type TargetResult,
} from "./targets";

export interface RunInfo {
  settings: BenchSettings;
  /** The clock of the content-creation runs. */
  contentTimeScale: number;
  /** Sizes at GitHub's real clock. */
  realSizes: { secrets: number; scopes: number }[];
  /** Sizes on the compressed clock. */
  sizes: { secrets: number; scopes: number }[];
  node: string;
  cpus: number;
  /** 1-minute load average when the run started and ended (the machine may be shared). */
  loadBefore: number;
  loadAfter: number;
  totalMs: number;
  date: string;
  /** Commit of the measured code. */
  revision: string;
  /** The real GitHub CLI measured, or why its model was. */
  gh: { version: string } | { reason: string };
  /** Scenarios that failed, with their error. */
  failures: string[];
  /** Requests or responses that broke GitHub's OpenAPI description (0 expected). */
  schemaViolations?: number;
}

const CLIENTS: ClientName[] = [
  "provider",
  "provider-plugin",
  "provider-no-checkpoints",
  "provider-p64",
  "terraform-like",
  "gh",
  "unbounded",
];

/** A column's name, with the provider's parallelism. */
export function clientLabel(
  results: ScenarioResult[],
  client: ClientName,
): string {
  const parallel = results.find((r) => r.client === client)?.parallel;
  if (client === "provider-no-checkpoints")
    return `provider (--parallel ${parallel}, PULUMI_SKIP_CHECKPOINTS)`;
  if (client === "provider-plugin")
    return `provider plugin (--parallel ${parallel})`;
  if (client.startsWith("provider") && parallel !== undefined)
    return `provider (--parallel ${parallel})`;
  return client === "gh" ? "gh (real)" : `${client} (model)`;
}

function methods(step: StepFigures): string {
  const order = ["GET", "PUT", "DELETE"];
  const parts = Object.entries(step.byMethod)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([m, n]) => `${n} ${m}`);
  return parts.length ? parts.join(" + ") : "0";
}

function find(
  results: ScenarioResult[],
  client: ClientName,
  secrets: number,
): ScenarioResult | undefined {
  return results.find((r) => r.client === client && r.secrets === secrets);
}

function clockOf(r: ScenarioResult): string {
  return r.timeScale === 1 ? "real" : `${r.timeScale}×`;
}

const mb = (kb: number | undefined) =>
  kb ? `${(kb / 1024).toFixed(0)} MB` : "–";

export function consoleTable(results: ScenarioResult[]): string {
  const rows: string[][] = [
    [
      "clock",
      "N",
      "S",
      "client",
      "step",
      "requests",
      "403/429",
      "wall",
      "traffic",
      "host RSS",
    ],
  ];
  for (const r of results)
    for (const step of STEPS) {
      const f = r.steps[step];
      if (f.skipped) continue;
      rows.push([
        clockOf(r),
        String(r.secrets),
        String(r.scopes),
        `${clientLabel(results, r.client)}${r.limits === "content" ? " [content limit]" : ""}${r.workload === "org" ? " [org secret]" : ""}`,
        STEP_LABELS[step],
        `${f.requests} (${methods(f)})`,
        String(f.limited),
        fmtMs(f.wallMs),
        fmtMs(f.trafficMs),
        r.client.startsWith("provider") ? mb(f.hostPeakRssKb) : "",
      ]);
    }
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((row) => row[i]!.length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function mdTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Explanations for missed targets, keyed by a prefix of the target's text. */
export type Explanations = { prefix: string; text: string }[];

/** A table of the steps, a column per client: wall (traffic), requests, and any 403/429. */
function stepsTable(results: ScenarioResult[], secrets: number): string {
  const shown = CLIENTS.filter((c) => find(results, c, secrets));
  return mdTable(
    ["step", ...shown.map((c) => clientLabel(results, c))],
    STEPS.map((step) => [
      STEP_LABELS[step],
      ...shown.map((c) => {
        const f = find(results, c, secrets)!.steps[step];
        if (f.skipped) return "–";
        const refused = f.limited ? `, **${f.limited} × 403/429**` : "";
        return `${fmtMs(f.wallMs)} (${fmtMs(f.trafficMs)}); ${f.requests} requests${f.requests ? ` (${methods(f)})` : ""}${refused}`;
      }),
    ]),
  );
}

/** Secrets each client lost in create (403/429 answers it did not retry). */
function lostNote(results: ScenarioResult[], secrets: number): string[] {
  return results
    .filter((r) => r.secrets === secrets && r.missingAfterCreate > 0)
    .map(
      (r) =>
        `${clientLabel(results, r.client)}: ${r.missingAfterCreate} of ${secrets} secrets missing after create (403/429 answers are not retried).`,
    );
}

const variantLabels: Record<Variant, string> = {
  empty: "empty program",
  components: "N component resources",
  trivial: "N resources of a do-nothing dynamic provider",
  dynamic: "N RepoSecrets (dynamic provider)",
  plugin: "N RepoSecrets (provider plugin)",
};

function fixedCostSection(fixed: FixedCost[]): string[] {
  const out: string[] = [];
  const sizes = [
    ...new Set(fixed.filter((f) => f.resources > 0).map((f) => f.resources)),
  ];
  const empty = fixed.find((f) => f.variant === "empty");
  const total = (f: FixedCost | undefined) =>
    f ? f.previewMs + f.updateMs : undefined;
  out.push("## Where an unchanged `pulumi up` spends its time");
  out.push("");
  out.push(
    "An unchanged `up` sends GitHub nothing, so its time is the engine's, the program's and the provider process's. The same no-op (a preview, then the update, as the CLI runs `pulumi up`) runs for programs that differ by one thing each; each figure is the median of " +
      `${fixed[0]?.runs ?? 0} runs on this machine, GitHub's clock irrelevant (no request is sent).`,
  );
  out.push("");
  out.push(
    mdTable(
      [
        "N",
        "program",
        "preview",
        "update",
        "no-op `up`",
        "difference",
        "provider process peak RSS",
        "state file",
      ],
      sizes.flatMap((n) => {
        const at = (v: Variant) =>
          v === "empty"
            ? empty
            : fixed.find((f) => f.variant === v && f.resources === n);
        const before: Record<Variant, Variant | undefined> = {
          empty: undefined,
          components: "empty",
          trivial: "components",
          dynamic: "trivial",
          plugin: "components",
        };
        return (Object.keys(variantLabels) as Variant[]).flatMap((v) => {
          const f = at(v);
          if (!f) return [];
          const base = before[v] ? total(at(before[v]!)) : undefined;
          const diff =
            base === undefined
              ? "–"
              : `${total(f)! - base >= 0 ? "+" : ""}${fmtMs(total(f)! - base)} over ${variantLabels[before[v]!]}`;
          return [
            [
              String(f.resources),
              variantLabels[v],
              fmtMs(f.previewMs),
              fmtMs(f.updateMs),
              fmtMs(total(f)!),
              diff,
              f.hostPeakRssKb ? mb(f.hostPeakRssKb) : "–",
              `${(f.stateBytes / 1024).toFixed(0)} KB`,
            ],
          ];
        });
      }),
    ),
  );
  out.push(
    "",
    "Each row adds one thing to the row it is compared with. The empty program is the CLI, the language host and the program, twice (preview and update). N component resources add the engine registering N resources and writing their state. The do-nothing dynamic provider adds Pulumi's dynamic-provider host (a Node.js process loading @pulumi/pulumi's runtime) and a Check and a Diff round trip per resource, with the serialized provider in every call and twice in the state. The RepoSecrets row is what is ours: loading the provider module (about 25 ms), its Check and Diff (local, a few hundredths of a millisecond each), and secret values in inputs and outputs, which the engine encrypts into a state about twice the do-nothing provider's; how the difference splits among these is not measured. The plugin row replaces the dynamic-provider host with this package's plugin process (started by the engine, no @pulumi/pulumi runtime, nothing serialized in the state) and Check/Diff over its gRPC server.",
  );
  const badRequests = fixed.filter((f) => f.requests > 0);
  if (badRequests.length)
    out.push(
      "",
      `**No-ops that sent requests:** ${badRequests.map((f) => `${f.variant} N=${f.resources}: ${f.requests}`).join(", ")}.`,
    );
  return out;
}

export function markdown(
  all: ScenarioResult[],
  fixed: FixedCost[],
  targets: TargetResult[],
  info: RunInfo,
  explanations: Explanations,
  /** The chart's path relative to the report, if one was drawn. */
  chart?: string,
): string {
  const { settings } = info;
  const repo = all.filter(
    (r) => r.limits === "points" && r.workload === "repo",
  );
  const real = repo.filter((r) => r.timeScale === 1);
  const scaled = repo.filter((r) => r.timeScale !== 1);
  const org = all.filter((r) => r.workload === "org");
  const content = all.filter((r) => r.limits === "content");
  const parallel =
    repo.find((r) => r.client === "provider")?.parallel ?? "4 × CPUs";
  const out: string[] = [];
  out.push("# Benchmarks");
  out.push("");
  out.push(
    "Generated by `npm run bench` (`bench/run.ts`); do not edit by hand. Every figure below was " +
      "measured in one run, against one GitHub API emulator (`tools/github-emulator`), so the " +
      "provider and its peers are compared side by side; figures of the real @pulumi/github and " +
      "terraform-provider-github, which cannot be built here, are quoted as measured elsewhere and " +
      "labelled so.",
  );
  if (chart) {
    out.push("");
    out.push(
      `![Create at GitHub's real clock: wall time against N and requests per secret, for each tool](${chart})`,
    );
  }
  out.push("");
  out.push("## Setup");
  out.push("");
  out.push(
    [
      `- Run ${info.date} on ${info.revision}; Node ${info.node}, ${info.cpus} CPUs, load average ${info.loadBefore.toFixed(1)} at the start and ${info.loadAfter.toFixed(1)} at the end (wall times are noisy when the machine is shared; request counts are exact); the whole benchmark took ${fmtMs(info.totalMs)}${info.schemaViolations ? `; **${info.schemaViolations} requests or responses broke GitHub's OpenAPI description**` : ""}.`,
      `- **GitHub:** the emulator answers every request ${settings.latencyMs} ms late and enforces GitHub's limits: the secondary limit (900 points a minute, a read costs 1 and a write 5, at most 100 requests in flight) and the primary limit (5000 requests an hour). Each step starts with fresh limit windows, as after an idle hour.`,
      `- **provider:** a generated Pulumi TypeScript program (\`bench/program.ts\`: \`RepoSecret\`s of \`pulumi-github-secrets\`, or of \`pulumi-github-secrets/native\` on the provider plugin) run by the real Pulumi CLI (\`tools/pulumi-cli\`: v3.274.1 built from its Go module, the program as an Automation API inline program, Pulumi's own dynamic-provider host or this package's plugin, a local file backend) with Pulumi's defaults: Create/Update/Delete at \`--parallel\` ${parallel} (4 × CPUs), Check and Diff one resource at a time, and every \`up\`, \`refresh\` and \`destroy\` a preview and then the update (two deployments, two provider processes), as the CLI runs them. Each step is a separate CLI run (program, provider process and caches start cold). The provider keeps GitHub's minute on the emulator's clock (\`PULUMI_GITHUB_SECRETS_TIME_SCALE\`).`,
      "- **Wall** is the whole step (for the provider: starting the program and the provider process, Check/Diff of every resource, writing state). **Traffic** is the time from the first request's arrival at the emulator to the last response: the part GitHub's limits govern.",
      "- **Secrets verified**: after create, the emulator decrypts every stored value with the scope's private key and the bench compares it with the value the tool was given.",
    ].join("\n"),
  );
  if (info.failures.length) {
    out.push("");
    out.push("## Scenarios that failed");
    out.push("");
    for (const f of info.failures) out.push(`- ${f.replace(/\s+/g, " ")}`);
  }

  if (real.length) {
    out.push("");
    out.push("## At GitHub's real clock");
    out.push("");
    out.push(
      "What users wait for: GitHub's limits in real time. The provider spends GitHub's budget instead of spreading it: requests go out as long as the last minute's points (95% of 900) leave room, so up to about 170 writes leave as fast as the engine hands them over, and beyond that each minute carries a full budget.",
    );
    for (const size of info.realSizes) {
      const here = real.filter((r) => r.secrets === size.secrets);
      if (!here.length) continue;
      out.push("");
      out.push(`### N = ${size.secrets}, S = ${size.scopes}`);
      out.push("");
      out.push(
        "Each cell: wall time (GitHub traffic); requests; 403/429 answers, if any.",
      );
      out.push("");
      out.push(stepsTable(here, size.secrets));
      const notes: string[] = [];
      for (const r of here.filter((x) => x.client.startsWith("provider"))) {
        const floor = realClockCreateFloorMs(r, settings.latencyMs);
        const points = createPoints(size.secrets, size.scopes);
        const minutes = budgetMinutes(points);
        const budget = `one minute's ${PACED_POINTS_PER_MINUTE}`;
        notes.push(
          `${clientLabel(here, r.client)}: create ${fmtMs(r.steps.create.wallMs)} against a floor of ${fmtMs(floor)} (its no-op ${fmtMs(r.steps.noop.wallMs)} + ${fmtMs(floor - r.steps.noop.wallMs)}: ${size.secrets + size.scopes} requests at --parallel ${r.parallel}${minutes > 0 ? `, and ${minutes} minute(s) for the ${points} points beyond ${budget}` : `; ${points} points fit in ${budget}`}), ${(r.steps.create.wallMs / floor).toFixed(2)}×.`,
        );
      }
      const tf = find(here, "terraform-like", size.secrets);
      const p = find(here, "provider", size.secrets);
      if (p && tf)
        notes.push(
          `terraform-like / provider: create ${(tf.steps.create.wallMs / p.steps.create.wallMs).toFixed(1)}×, destroy ${(tf.steps.destroy.wallMs / p.steps.destroy.wallMs).toFixed(1)}×.`,
        );
      notes.push(...lostNote(here, size.secrets));
      out.push("");
      out.push(notes.join(" "));
      if (
        size.secrets === MEASURED_ELSEWHERE.secrets &&
        size.scopes === MEASURED_ELSEWHERE.scopes
      ) {
        out.push("");
        out.push(
          "The real peers, measured elsewhere on one machine side by side (the real `pulumi up` with the Node.js language host in a project folder, a GitHub API answering in 30 ms with 900 points a minute; their modules cannot be built here, see The peers), beside this run's provider. Wall times of two machines compare only roughly; request counts exactly:",
        );
        out.push("");
        const mine = [p, find(here, "provider-plugin", size.secrets)].filter(
          (x): x is ScenarioResult => x !== undefined,
        );
        out.push(
          mdTable(
            [
              "step",
              ...mine.map((r) => `${clientLabel(here, r.client)}, this run`),
              ...MEASURED_ELSEWHERE.tools.map(
                (t) => `${t.name}, measured elsewhere`,
              ),
            ],
            STEPS.map((step) => [
              STEP_LABELS[step],
              ...mine.map(
                (r) =>
                  `${fmtMs(r.steps[step].wallMs)}, ${r.steps[step].requests}`,
              ),
              ...MEASURED_ELSEWHERE.tools.map(
                (t) =>
                  `${fmtMs(t.steps[step].wallMs)}, ${t.steps[step].requests}`,
              ),
            ]),
          ),
        );
      }
    }
  }

  out.push("");
  out.push("## Targets");
  out.push("");
  out.push(
    mdTable(
      ["target", "result", "measured"],
      targets.map((t) => [t.target, t.met ? "met" : "**missed**", t.measured]),
    ),
  );
  const missed = targets.filter((t) => !t.met);
  if (missed.length > 0) {
    out.push("");
    out.push("### Why targets were missed, and what bounds them");
    out.push("");
    const seen = new Set<string>();
    for (const t of missed) {
      const e = explanations.find((x) => t.target.startsWith(x.prefix));
      if (!e || seen.has(e.prefix)) continue;
      seen.add(e.prefix);
      out.push(`- **${t.target}** — ${e.text}`);
    }
  }

  if (fixed.length) {
    out.push("");
    out.push(...fixedCostSection(fixed));
  }

  if (scaled.length) {
    const scale = scaled[0]!.timeScale;
    out.push("");
    out.push(
      `## ${info.sizes.map((s) => `N = ${s.secrets}`).join(", ")} on a ${scale}× clock`,
    );
    out.push("");
    out.push(
      `At the real clock, a thousand secrets are minutes of GitHub's budget; here GitHub's clock runs ${scale}× faster (a minute lasts ${fmtMs(60_000 / scale)}; the limits, the provider's pacing and terraform's 1 s write delay are scaled, the ${settings.latencyMs} ms latency is not). ${scaled.some((r) => r.client === "provider-no-checkpoints") ? "The provider runs again with `PULUMI_SKIP_CHECKPOINTS=true` (the engine writes its state once, at the end, instead of after every step), which separates the provider's pacing from the engine's checkpoint writes. " : ""}${scaled.some((r) => r.client === "provider-p64") ? `**provider-p64** is the same program at \`--parallel ${PROVIDER_P64_PARALLEL}\`. ` : ""}`,
    );
    for (const size of info.sizes) {
      const here = scaled.filter((r) => r.secrets === size.secrets);
      if (!here.length) continue;
      out.push("");
      out.push(`### N = ${size.secrets}, S = ${size.scopes}`);
      out.push("");
      out.push(stepsTable(here, size.secrets));
      const notes: string[] = [];
      for (const r of here.filter((x) => x.client.startsWith("provider"))) {
        const floor = budgetFloorMs(
          createPoints(size.secrets, size.scopes),
          size.secrets + size.scopes,
          {
            timeScale: r.timeScale,
            latencyMs: settings.latencyMs,
            parallel: r.parallel ?? 1,
          },
        );
        notes.push(
          `${clientLabel(here, r.client)}: create traffic ${fmtMs(r.steps.create.trafficMs)} against the budget floor of ${fmtMs(floor)} (${(r.steps.create.trafficMs / floor).toFixed(2)}×).`,
        );
      }
      notes.push(...lostNote(here, size.secrets));
      out.push("");
      out.push(notes.join(" "));
    }
  }

  if (org.length) {
    const s = org[0]!.scopes;
    out.push("");
    out.push(`## An organization secret with ${s} selected repositories`);
    out.push("");
    out.push(
      `One \`OrgSecret\` (\`visibility: "selected"\`, the ${s} repositories named in \`selectedRepositories\`), under the 900-points limit on the ${org[0]!.timeScale}× clock. The provider looks each name up once (GET /repos/{owner}/{repo}), in the preview and again in the update, and keeps the ids in the checked inputs, so later runs send none. terraform-like takes the ids from one \`data "github_repository"\` per repository, read at every plan. gh is a model here: the real \`gh secret set --repos\` resolves names through GitHub's GraphQL API, which the emulator does not serve (that one request is not counted).`,
    );
    out.push("");
    const labels: Partial<Record<ClientName, string>> = {
      unbounded: "gh (model)",
    };
    const shown = CLIENTS.filter((c) => org.some((r) => r.client === c));
    const header = ["step"];
    for (const c of shown) {
      const label = labels[c] ?? clientLabel(all, c);
      header.push(`${label}: requests`, `${label}: wall`);
    }
    out.push(
      mdTable(
        header,
        STEPS.map((step) => [
          STEP_LABELS[step],
          ...shown.flatMap((c) => {
            const f = org.find((r) => r.client === c)!.steps[step];
            return [`${f.requests} (${methods(f)})`, fmtMs(f.wallMs)];
          }),
        ]),
      ),
    );
    const unverified = org.filter((r) => r.missingAfterCreate > 0);
    out.push("");
    out.push(
      unverified.length
        ? `Not verified after create (value or selection wrong): ${unverified.map((r) => labels[r.client] ?? clientLabel(all, r.client)).join(", ")}.`
        : "After create, every tool's secret held its value (decrypted by the emulator) and exactly the selected repositories.",
    );
  }

  if (content.length) {
    out.push("");
    out.push("## Under GitHub's content-creation limit");
    out.push("");
    const n = content[0]!.secrets;
    const s = content[0]!.scopes;
    const scale = content[0]!.timeScale;
    out.push(
      `GitHub also allows "no more than 80 content-generating requests per minute and no more than 500 per hour" (per token) and refuses beyond that with a 403 that carries no retry-after; it does not say whether secret writes count, and the emulator counts PUT (not DELETE). Create of N = ${n} secrets over S = ${s} repositories under both limits, on a ${scale}× clock (a minute lasts ${fmtMs(60_000 / scale)}, an hour ${fmtMs(3_600_000 / scale)}; on the faster clock the engine's real-time pace would never meet the limit). No client can be faster than ${fmtMs(contentFloorMs(n, scale))} here (${n} writes at 80 a minute, and the hour's 500 spent before the next hour begins)${n > 500 ? ", so every tool must wait or lose secrets" : ""}.`,
    );
    out.push("");
    out.push(
      mdTable(
        [
          "tool",
          "wall (traffic)",
          "requests",
          "403/429 answers",
          "secrets verified",
          "told the user it waits",
        ],
        CLIENTS.flatMap((c) => {
          const r = content.find((x) => x.client === c);
          if (!r) return [];
          const f = r.steps.create;
          return [
            [
              clientLabel(all, c),
              `${fmtMs(f.wallMs)} (${fmtMs(f.trafficMs)})`,
              `${f.requests} (${methods(f)})`,
              String(f.limited),
              `${r.secrets - r.missingAfterCreate} of ${r.secrets}`,
              r.toldPacing === undefined ? "–" : r.toldPacing ? "yes" : "no",
            ],
          ];
        }),
      ),
    );
    out.push("");
    out.push(
      "At the first refusal the provider pauses every request of the token (a minute on GitHub's clock, doubled at each further refusal up to 8, as GitHub's docs ask when no retry-after comes), says so, and keeps the rest of the run to 80 writes a minute and 500 an hour, counting the writes GitHub had already accepted (a refused write created nothing), so it does not meet the limit again; only the writes already on their way are refused. terraform-provider-github sleeps what go-github derives (retry-after, else until `x-ratelimit-reset`, the primary window's end) and sends the same request again, without a bound; gh does not retry, so each refusal is a secret not set.",
    );
  }

  const footprint = repo.filter((r) => r.client.startsWith("provider"));
  if (footprint.length) {
    out.push("");
    out.push("## Provider footprint");
    out.push("");
    out.push(
      mdTable(
        [
          "clock",
          "N",
          "S",
          "provider",
          "provider process peak RSS (max over steps)",
          "`__provider` bytes",
          "state-file bytes per secret",
        ],
        footprint.map((r) => [
          clockOf(r),
          String(r.secrets),
          String(r.scopes),
          clientLabel(all, r.client),
          mb(Math.max(...STEPS.map((s) => r.steps[s].hostPeakRssKb ?? 0))),
          String(r.providerBytes ?? "–"),
          (r.stateBytesPerSecret ?? 0).toFixed(0),
        ]),
      ),
    );
    out.push("");
    out.push(
      "The dynamic provider's `__provider` is stored twice per resource (inputs and outputs); the plugin stores no code. The state file also holds each resource's URN, inputs and outputs (secrets as AES-GCM envelopes) and is pretty-printed.",
    );
  }

  out.push("");
  out.push("## The peers");
  out.push("");
  out.push(
    [
      "version" in info.gh
        ? `- **gh (real)** is the GitHub CLI ${info.gh.version}, built from its Go module (\`github.com/cli/cli/v2\`, tools/peers/go.mod) and run as a user runs it (\`bench/gh.ts\`): \`gh secret set -f\` of one .env file per repository (it fetches the key once, then sends every PUT at once, no pacing, no retry), \`gh secret list\` per repository for refresh, \`gh secret delete\` per secret (8 processes at a time) for destroy. It reaches the emulator as the host \`github.localhost\` (plain HTTP) through \`HTTP_PROXY\`.`
        : `- **gh** could not be built (${info.gh.reason}); its model, **unbounded**, was measured instead (below).`,
      '- **@pulumi/github 6.15.0 and terraform-provider-github 6.13.0 (with OpenTofu 1.12.6)** were measured elsewhere with the real tools (the figures above, N = 100 at the real clock). They cannot be built here: `go list -m -versions github.com/pulumi/pulumi-github/provider/v6` and `github.com/integrations/terraform-provider-github/v6` answer "403 Forbidden, This module version is not available", as do `go mod download` of provider/v6 v6.1.0 to v6.9.0 and of terraform-provider-github v6.1.0, v6.2.0, v6.4.0, v6.5.0, v6.6.1 and v6.7.0 to v6.9.0; its v6.3.0 and v6.6.0 are served, but the checksum database does not know them ("verifying go.mod: … sum.golang.org/lookup/…: 404 Not Found"), and we do not turn its verification off.',
      "- **terraform-like (model)** is a small direct HTTP client (`bench/baselines.ts`) that seals values with libsodium like the provider and sends what terraform-provider-github 6.13.0 sent in that measured run: create fetches the repository's public key for every secret, PUTs, then reads the secret and its repository (three GETs and a PUT per secret, after two owner look-ups); every plan reads each secret once; a new `plaintext_value` is an update in place (key, PUT, the two reads); destroy reads every secret, then deletes it. All requests pass one mutex (`parallel_requests = false`, the default) and the request after a write waits `write_delay_ms` (1000 ms, scaled with GitHub's clock); a rate-limited request is sent again, without a bound, after go-github's wait (retry-after, else until `x-ratelimit-reset`). Its owner look-ups go to `GET /orgs/{org}/repos`, which costs what `GET /user` and `GET /orgs/{org}` (not served by the emulator) cost.",
      "- **unbounded parallel** (the model of gh, measured when gh cannot be built, and for the organization secret) follows `gh secret set -f` per repository: one public-key GET, then every PUT at once; no pacing, no retry, so 403/429 answers are lost writes. gh keeps no state: a no-op or a one-value change re-applies the whole file; refresh is `gh secret list` (100 per page); destroy is every DELETE at once.",
    ].join("\n"),
  );
  out.push("");
  return out.join("\n");
}
