"""One deployment of a Python program on the generated SDK (sdk/python, pulumi_github_secrets),
through the real Pulumi CLI, as an Automation API inline program:

    python program.py '<a request as JSON>'

(tests/native/python.test.ts writes the request.) The CLI runs a Python program through its
language host, pulumi-language-python, which is not available here; the Automation API runs the
program in this process behind a language server of its own and hands the CLI --client=ADDRESS.
Engine, state, plugins and provider processes are the CLI's, exactly as with `pulumi up`; the
project folder's Pulumi.yaml (its `plugins` entry) makes the engine run this repository's plugin.
One process per deployment, as the language host starts one per deployment.

Request: tools/pulumi-cli's DeploymentRequest (program.ts): command ("preview", "up" or
"destroy"), stack, cwd (the project folder), cliRoot (root/bin/pulumi is the CLI), result (where
to write the report as JSON), the flags expectNoChanges, diff and previewOnly (destroy: only its
preview), and the program's inputs: cases (every kind: its class name and its snake_case
arguments) and revision.

Provider settings come from the stack config (github-secrets:token, baseUrl, owner), the explicit
provider's token from python:globexToken (a secret): no value passes through the request.
The engine's output goes to stdout as it comes; the result file holds only the command, the
steps (operation and URN of each resource) and the change counts.
"""

import json
import os
import sys

import pulumi
import pulumi_github_secrets as github_secrets
import yaml
from pulumi import automation as auto


def program_of(cases, revision):
    def value(name):
        return pulumi.Output.secret(f"python-secret-{name}-{revision}")

    def program():
        for case in cases:
            kind = getattr(github_secrets, case["kind"])
            kind(
                f"every-{case['kind']}",
                secret_name="EVERY_KIND",
                value=value(case["kind"]),
                **case["args"],
            )

        # An explicit provider: another organization on the same host, with a token of its own.
        config = pulumi.Config("python")
        globex = github_secrets.Provider(
            "globex",
            token=config.require_secret("globexToken"),
            base_url=pulumi.Config("github-secrets").require("baseUrl"),
            owner="globex",
        )
        github_secrets.RepoSecret(
            "globex-deploy",
            repository="billing",
            secret_name="DEPLOY",
            value=value("globex"),
            opts=pulumi.ResourceOptions(provider=globex),
        )

        # Values the plugin reads when it writes them (relative paths: the project folder); the
        # program never sees them and the state never holds them.
        github_secrets.RepoSecret(
            "vf-env",
            repository="web",
            secret_name="VF_ENV",
            value_from=github_secrets.ValueSourceArgs(env="SOURCED_ENV"),
        )
        github_secrets.EnvironmentSecret(
            "vf-file",
            repository="api",
            environment="prod",
            secret_name="VF_FILE",
            value_from=github_secrets.ValueSourceArgs(file="secrets/token.txt"),
        )
        github_secrets.OrgSecret(
            "vf-dotenv",
            secret_name="VF_DOTENV",
            value_from=github_secrets.ValueSourceArgs(file=".env", key="VF_DOTENV"),
            selected_repositories=["api", "web"],
        )
        github_secrets.CodespacesUserSecret(
            "vf-command",
            secret_name="VF_COMMAND",
            value_from=github_secrets.ValueSourceArgs(
                command=["python3", "-c", "import os; print(os.environ['SOURCED_COMMAND'])"],
            ),
            selected_repository_ids=[201],
        )

    return program


def counts(changes):
    """Change counts by operation name ("create", "same"…), whatever the Automation API keyed them by."""
    return {getattr(op, "value", op): n for op, n in (changes or {}).items()}


def main():
    request = json.loads(sys.argv[1])
    command = request["command"]
    if command not in ("preview", "up", "destroy"):
        raise ValueError(f"unknown command {command}: preview, up or destroy")
    work_dir = request["cwd"]
    with open(os.path.join(work_dir, "Pulumi.yaml"), encoding="utf-8") as project_file:
        project = yaml.safe_load(project_file)

    stack = auto.create_or_select_stack(
        stack_name=request["stack"],
        project_name=project["name"],
        program=program_of(request["inputs"]["cases"], request["inputs"]["revision"]),
        opts=auto.LocalWorkspaceOptions(
            # The project's own folder and Pulumi.yaml (with its plugins entry).
            work_dir=work_dir,
            pulumi_command=auto.PulumiCommand(root=request["cliRoot"]),
        ),
    )

    def on_output(line):
        print(line, flush=True)

    def on_error(line):
        print(line, file=sys.stderr, flush=True)

    steps = []

    def on_event(event):
        # Each resource's step as the engine reported it (not the stack's own).
        done = event.res_outputs_event or event.res_op_failed_event
        metadata = done.metadata if done else None
        if metadata and not metadata.type.startswith("pulumi:pulumi:Stack"):
            steps.append(
                {
                    "op": getattr(metadata.op, "value", metadata.op),
                    "urn": metadata.urn,
                    "type": metadata.type,
                    "name": metadata.urn[metadata.urn.rfind("::") + 2 :],
                }
            )

    streams = {"on_output": on_output, "on_error": on_error, "on_event": on_event}
    result = {"command": command, "steps": steps, "changes": {}}
    try:
        if command == "preview":
            preview = stack.preview(
                expect_no_changes=request.get("expectNoChanges"),
                diff=request.get("diff"),
                **streams,
            )
            result["changes"] = counts(preview.change_summary)
        elif command == "up":
            # The update alone (the Automation API passes --skip-preview): the caller runs the
            # preview first, as `pulumi up` does. No config values in the summary.
            up = stack.up(
                expect_no_changes=request.get("expectNoChanges"),
                diff=request.get("diff"),
                show_secrets=False,
                **streams,
            )
            result["changes"] = counts(up.summary.resource_changes)
        elif request.get("previewOnly"):
            preview = stack.preview_destroy(show_secrets=False, **streams)
            result["changes"] = counts(preview.change_summary)
        else:
            destroy = stack.destroy(show_secrets=False, **streams)
            result["changes"] = counts(destroy.summary.resource_changes)
    except auto.CommandError as error:
        # The CLI's own message (its output already went to stdout and stderr).
        result["error"] = str(error)
    finally:
        with open(request["result"], "w", encoding="utf-8") as result_file:
            json.dump(result, result_file)
    if "error" in result:
        sys.exit(1)


if __name__ == "__main__":
    main()
