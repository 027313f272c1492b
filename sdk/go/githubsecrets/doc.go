// Every kind of GitHub secret (Actions, environments, organizations, Dependabot, Codespaces, Copilot agents), sealed client-side with libsodium.
package githubsecrets
