// The local engine: runs a Pulumi program the way the `pulumi` CLI does, as far as a dynamic
// provider can tell, with the real SDK and @pulumi/pulumi's dynamic-provider host. Test and demo
// tooling, not a replacement for the CLI (see README.md). Each command is one or two deployments
// (deployment.ts): every command but preview first previews, then applies, unless skipPreview
// (pkg/backend/apply.go `PreviewThenPromptThenExecute`, used by up, refresh and destroy).
import * as fs from "node:fs";
import { loadProject, loadStackConfig } from "./config";
import { Deployment, type DeploymentKind } from "./deployment";
import { messageOf } from "./failures";
import { Display } from "./output";
import { StateStore, type StackState } from "./state";
import type { Command, EngineResult, RunEngineOptions, Step } from "./types";

export type {
  Command,
  EngineResult,
  ResourceEvent,
  ResourceHook,
  ResourceHookResult,
  RunEngineOptions,
  Step,
  StepOp,
} from "./types";
export { fakeResource } from "./fakes";
export { limiter } from "./executor";
export { defaultParallel } from "./deployment";

const KINDS: Record<Command, DeploymentKind> = {
  preview: "update",
  up: "update",
  refresh: "refresh",
  destroy: "destroy",
};

export async function runEngine(opts: RunEngineOptions): Promise<EngineResult> {
  const started = Date.now();
  const display = new Display(opts.onOutput);
  const env = mergeEnv(process.env, opts.env);
  const deployments: Deployment[] = [];
  const errors: string[] = [];
  let store: StateStore | undefined;
  let previewSteps: Step[] | undefined;
  try {
    const project = loadProject(opts.cwd);
    const config = loadStackConfig(project, opts.stack, env);
    const kind = KINDS[opts.command];
    const phases: { dryRun: boolean }[] =
      opts.command === "preview"
        ? [{ dryRun: true }]
        : [...(opts.skipPreview ? [] : [{ dryRun: true }]), { dryRun: false }];
    for (const phase of phases) {
      // Each deployment reads the checkpoint afresh: the preview writes nothing.
      store = new StateStore(opts.cwd, project.name, opts.stack, env);
      const phaseStarted = Date.now();
      display.heading(opts.command, phase.dryRun, opts.stack);
      const deployment = new Deployment(
        kind,
        phase.dryRun,
        opts,
        env,
        project,
        config,
        store,
        display,
      );
      deployments.push(deployment);
      await deployment.run();
      errors.push(...deployment.errors);
      display.summary(
        deployment.steps,
        deployment.errors.length,
        deployment.stackOutputs,
        Date.now() - phaseStarted,
        phase.dryRun,
      );
      if (phase.dryRun && opts.command !== "preview") {
        previewSteps = deployment.steps;
        if (deployment.failed) break;
      }
    }
  } catch (err) {
    const message = messageOf(err);
    errors.push(message);
    display.error(message);
  }
  const last = deployments.at(-1);
  if (deployments.length > 1)
    display.print(
      `Total duration: ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  let state: StackState | undefined;
  if (store && fs.existsSync(store.file))
    state = JSON.parse(fs.readFileSync(store.file, "utf8")) as StackState;
  return {
    exitCode: errors.length > 0 ? 1 : 0,
    output: display.text(),
    steps: last?.steps ?? [],
    ...(previewSteps && last?.dryRun === false ? { previewSteps } : {}),
    state,
    stackOutputs: last?.stackOutputs ?? {},
    hostOutput: deployments.map((d) => d.hostOutput()).join(""),
    errors,
  };
}

function mergeEnv(
  base: NodeJS.ProcessEnv,
  over: NodeJS.ProcessEnv | undefined,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...base, ...over }))
    if (v !== undefined) out[k] = v;
  return out;
}
