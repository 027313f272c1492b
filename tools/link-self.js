// Programs inside this repository (the root Pulumi.yaml, examples/) are run the way users run
// theirs: the serialized provider does `require("pulumi-github-secrets/provider")` from the
// program's folder. Node's package self-reference does not apply to that require (it has no
// package scope), and npm refuses to install a package into itself, so link it by hand.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-github-secrets");
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.unlinkSync(link);
} catch {
  // Not a link yet: create it below.
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
