// The github-secrets provider plugin, as a Pulumi language host runs a plugin folder
// (PulumiPlugin.yaml, runtime nodejs). The executable beside it runs the same file: the provider
// bundled into one file by `npm run build` (tools/plugin-archive), the file the release archive
// holds.
require("../bin/plugin/main.js");
