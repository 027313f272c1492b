// What a deployment's engine events say, the same for an Automation API run (program.ts, its
// onEvent) and a CLI run in a project folder (deployments.ts `inFolder`, its --event-log): each
// resource's step as the engine reported it, and the summary's counts.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { DeploymentReport } from "./program";

export function recordEvent(
  report: DeploymentReport,
  event: EngineEvent,
): void {
  const done = event.resOutputsEvent ?? event.resOpFailedEvent;
  const metadata = done?.metadata;
  if (metadata && !metadata.type.startsWith("pulumi:pulumi:Stack")) {
    report.steps.push({
      op: metadata.op,
      urn: metadata.urn,
      type: metadata.type,
      name: metadata.urn.slice(metadata.urn.lastIndexOf("::") + 2),
      ...(metadata.keys ? { keys: metadata.keys } : {}),
    });
  }
  if (event.summaryEvent)
    report.changes = event.summaryEvent.resourceChanges as Record<
      string,
      number
    >;
}
