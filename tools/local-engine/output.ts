// What the engine prints: a heading per deployment, one line per step, program and provider
// output as diagnostics, the stack outputs and a summary. Modelled on the CLI's default display.
import { containsSecret, UNKNOWN } from "./secrets";
import type { Command, Step, StepOp } from "./types";

const HEADINGS: Record<Command, [preview: string, apply: string]> = {
  preview: ["Previewing update", "Previewing update"],
  up: ["Previewing update", "Updating"],
  refresh: ["Previewing refresh", "Refreshing"],
  destroy: ["Previewing destroy", "Destroying"],
};

const PAST: Record<StepOp, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

export class Display {
  readonly lines: string[] = [];

  constructor(private readonly onOutput?: (line: string) => void) {}

  print(line: string): void {
    this.lines.push(line);
    this.onOutput?.(line);
  }

  heading(command: Command, dryRun: boolean, stack: string): void {
    this.print(`${HEADINGS[command][dryRun ? 0 : 1]} (${stack}):`);
  }

  error(message: string): void {
    this.print(`error: ${message}`);
  }

  /**
   * Lines a plugin wrote: the engine shows each as an info diagnostic
   * (sdk/go/common/resource/plugin/plugin.go `newPlugin`, its `runtrace` of stdout and stderr).
   */
  diagnostics(prefix: string, text: string): void {
    for (const line of text.split("\n"))
      if (line.trim() !== "") this.print(`    ${prefix}${line}`);
  }

  step(step: Step, preview: boolean): void {
    if (step.op === "same" && !step.error) return;
    const verb = preview ? step.op : PAST[step.op];
    const detail = step.replaces?.length
      ? ` [diff: ${step.replaces.map((k) => `~${k}`).join(", ")}]`
      : "";
    const skipped = step.skipped ? ` (${step.skipped})` : "";
    const original = step.original ? " original" : "";
    const failed = step.error ? " **failed**" : "";
    this.print(
      `  ${symbol(step).padEnd(3)}${step.type}  ${step.name}  ${verb}${original}${detail}${skipped}${failed}`,
    );
  }

  summary(
    steps: readonly Step[],
    errors: number,
    stackOutputs: Record<string, unknown>,
    ms: number,
    preview: boolean,
  ): void {
    const count = (op: StepOp) =>
      steps.filter((s) => !s.error && !s.original && s.op === op).length;
    const outs = Object.entries(stackOutputs);
    if (outs.length > 0) {
      this.print("Outputs:");
      for (const [k, v] of outs) {
        const shown = containsSecret(v)
          ? "[secret]"
          : JSON.stringify(v).includes(UNKNOWN)
            ? "output<unknown>"
            : JSON.stringify(v);
        this.print(`    ${k}: ${shown}`);
      }
    }
    this.print("Resources:");
    const rows: [string, StepOp, string][] = [
      ["+ ", "create", "create"],
      ["~ ", "update", "update"],
      ["+-", "replace", "replace"],
      ["- ", "delete", "delete"],
    ];
    for (const [sym, op, verb] of rows) {
      const n = count(op);
      if (n > 0)
        this.print(`    ${sym}${n} ${preview ? `to ${verb}` : PAST[op]}`);
    }
    const same = count("same");
    if (same > 0) this.print(`    ${same} unchanged`);
    if (errors > 0) this.print(`    ${errors} errored`);
    this.print(`Duration: ${(ms / 1000).toFixed(1)}s`);
  }

  text(): string {
    return this.lines.join("\n") + "\n";
  }
}

function symbol(step: Step): string {
  switch (step.op) {
    case "create":
      return "+";
    case "update":
      return "~";
    case "replace":
      return step.deleteBeforeReplace ? "-+" : "+-";
    case "delete":
      return "-";
    default:
      return " ";
  }
}
