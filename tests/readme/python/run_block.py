"""A README block as a Pulumi program under Pulumi's mocks, with the generated SDK:

    python run_block.py PROJECT FILE CONFIG

Compiles FILE (py_compile), then runs it as the Pulumi Python SDK runs a program, with mocks in
place of the engine (tests/readme/python.test.ts): the SDK's own argument handling runs (a
keyword argument the generated class does not take, or a required one missing, fails) and every
resource is registered with its inputs. CONFIG is a JSON object of the project's config keys and
values the block reads. Prints the registered resources (type, name, input names) as JSON.
"""

import json
import py_compile
import runpy
import sys

import pulumi
from pulumi.runtime.config import set_all_config


class Recorder(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []

    def new_resource(self, args):
        self.resources.append(
            {"type": args.typ, "name": args.name, "inputs": sorted(args.inputs)}
        )
        return [f"{args.name}-id", args.inputs]

    def call(self, args):
        return {}


def main():
    project, file, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    py_compile.compile(file, doraise=True)
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project=project, stack="dev", preview=False)
    keys = {f"{project}:{key}": value for key, value in config.items()}
    set_all_config(keys, list(keys))

    def program():
        runpy.run_path(file, run_name="__main__")

    # Runs the program and waits for every registration, as the SDK does at the end of a run.
    pulumi.runtime.test(program)()
    print(json.dumps(recorder.resources))


if __name__ == "__main__":
    main()
