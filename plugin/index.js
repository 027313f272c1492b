// The github-secrets provider plugin, as a Pulumi language host runs a plugin folder
// (PulumiPlugin.yaml, runtime nodejs). The executable beside it runs the same file.
require("../bin/provider/plugin/main.js");
