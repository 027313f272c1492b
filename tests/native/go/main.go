// A Go program on the provider plugin, through the generated Go SDK (sdk/go/githubsecrets) and
// the real Pulumi CLI, run by tests/native/go.test.ts. It is an Automation API inline program: the
// CLI gets `--client=ADDRESS` and runs no Go language host; engine, state, plugins and provider
// processes are the CLI's, as with `pulumi up`. One process per deployment:
//
//	program '<a request as JSON>'
//
// The engine's output goes to stdout (stderr for its errors), the report to the request's result
// file. Values and tokens reach the program through the stack config, never its arguments.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pulumi-github-secrets/pulumi-github-secrets/sdk/go/githubsecrets"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// request is the program's one argument: tools/pulumi-cli's DeploymentRequest (program.ts).
type request struct {
	// preview, up (one update deployment: the Automation API passes --skip-preview) or destroy.
	Command         string `json:"command"`
	ExpectNoChanges bool   `json:"expectNoChanges"`
	// preview: --diff.
	Diff bool `json:"diff"`
	// destroy: only its preview (`pulumi destroy` without --skip-preview runs one first).
	PreviewOnly bool   `json:"previewOnly"`
	Stack       string `json:"stack"`
	// The project folder (Pulumi.yaml, the stack's config file).
	WorkDir string `json:"cwd"`
	// The CLI's installation root: root/bin/pulumi.
	CLIRoot string `json:"cliRoot"`
	// Where to write the report.
	Result string `json:"result"`
	// What the program declares.
	Inputs struct {
		// The suffix of every declared value.
		Revision string `json:"revision"`
	} `json:"inputs"`
}

type step struct {
	Op   string `json:"op"`
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// report is what the program writes to the request's result file.
type report struct {
	Command string         `json:"command"`
	Steps   []step         `json:"steps"`
	Changes map[string]int `json:"changes"`
	Error   string         `json:"error,omitempty"`
}

// secret is a declared value, a secret from the start.
func secret(kind, revision string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(fmt.Sprintf("native-go-%s-%s", kind, revision))).(pulumi.StringOutput)
}

// program declares every kind through the default provider (stack config github-secrets:*),
// each with a value of its own, and a repository secret of another organization through an
// explicit provider with a token of its own.
func program(revision string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		const name = "EVERY_KIND"
		value := func(kind string) pulumi.StringOutput { return secret(kind, revision) }
		ids := func(ids ...int) pulumi.IntArray {
			array := pulumi.IntArray{}
			for _, id := range ids {
				array = append(array, pulumi.Int(id))
			}
			return array
		}
		// The arguments of tests/support/kinds.ts, kind by kind.
		declare := []func() error{
			func() error {
				_, err := githubsecrets.NewRepoSecret(ctx, "every-RepoSecret", &githubsecrets.RepoSecretArgs{
					Repository: pulumi.String("api"),
					SecretName: pulumi.String(name),
					Value:      value("RepoSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewEnvironmentSecret(ctx, "every-EnvironmentSecret", &githubsecrets.EnvironmentSecretArgs{
					Repository:  pulumi.String("api"),
					Environment: pulumi.String("production env/with space"),
					SecretName:  pulumi.String(name),
					Value:       value("EnvironmentSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewOrgSecret(ctx, "every-OrgSecret", &githubsecrets.OrgSecretArgs{
					Org:                   pulumi.String("acme"),
					Visibility:            githubsecrets.VisibilitySELECTED,
					SelectedRepositoryIds: ids(102, 101),
					SecretName:            pulumi.String(name),
					Value:                 value("OrgSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewCodespacesSecret(ctx, "every-CodespacesSecret", &githubsecrets.CodespacesSecretArgs{
					Repository: pulumi.String("web"),
					SecretName: pulumi.String(name),
					Value:      value("CodespacesSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewAgentSecret(ctx, "every-AgentSecret", &githubsecrets.AgentSecretArgs{
					Owner:      pulumi.String("acme"),
					Repository: pulumi.String("infra"),
					SecretName: pulumi.String(name),
					Value:      value("AgentSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewDependabotSecret(ctx, "every-DependabotSecret", &githubsecrets.DependabotSecretArgs{
					Repository: pulumi.String("api"),
					SecretName: pulumi.String(name),
					Value:      value("DependabotSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewDependabotOrgSecret(ctx, "every-DependabotOrgSecret", &githubsecrets.DependabotOrgSecretArgs{
					SelectedRepositoryIds: ids(103),
					SecretName:            pulumi.String(name),
					Value:                 value("DependabotOrgSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewCodespacesOrgSecret(ctx, "every-CodespacesOrgSecret", &githubsecrets.CodespacesOrgSecretArgs{
					Org:        pulumi.String("acme"),
					Visibility: githubsecrets.VisibilityALL,
					SecretName: pulumi.String(name),
					Value:      value("CodespacesOrgSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewCodespacesUserSecret(ctx, "every-CodespacesUserSecret", &githubsecrets.CodespacesUserSecretArgs{
					SelectedRepositoryIds: ids(201),
					SecretName:            pulumi.String(name),
					Value:                 value("CodespacesUserSecret"),
				})
				return err
			},
			func() error {
				_, err := githubsecrets.NewAgentOrgSecret(ctx, "every-AgentOrgSecret", &githubsecrets.AgentOrgSecretArgs{
					Org:        pulumi.String("acme"),
					SecretName: pulumi.String(name),
					Value:      value("AgentOrgSecret"),
				})
				return err
			},
		}
		for _, declare := range declare {
			if err := declare(); err != nil {
				return err
			}
		}

		// Another organization, with a token of its own, on the same host.
		globex, err := githubsecrets.NewProvider(ctx, "globex", &githubsecrets.ProviderArgs{
			Token:   config.RequireSecret(ctx, "native-go:globexToken"),
			BaseUrl: pulumi.String(config.Require(ctx, "github-secrets:baseUrl")),
			Owner:   pulumi.String("globex"),
		})
		if err != nil {
			return err
		}
		_, err = githubsecrets.NewRepoSecret(ctx, "globex-deploy", &githubsecrets.RepoSecretArgs{
			Repository: pulumi.String("billing"),
			SecretName: pulumi.String("DEPLOY"),
			Value:      value("globex"),
		}, pulumi.Provider(globex))
		if err != nil {
			return err
		}
		return declareSourced(ctx)
	}
}

// declareSourced declares secrets whose values the plugin reads when it writes them (relative
// paths: the project folder): the program never sees them and the state never holds them.
func declareSourced(ctx *pulumi.Context) error {
	if _, err := githubsecrets.NewRepoSecret(ctx, "vf-env", &githubsecrets.RepoSecretArgs{
		Repository: pulumi.String("web"),
		SecretName: pulumi.String("VF_ENV"),
		ValueFrom:  &githubsecrets.ValueSourceArgs{Env: pulumi.String("SOURCED_ENV")},
	}); err != nil {
		return err
	}
	if _, err := githubsecrets.NewEnvironmentSecret(ctx, "vf-file", &githubsecrets.EnvironmentSecretArgs{
		Repository:  pulumi.String("api"),
		Environment: pulumi.String("prod"),
		SecretName:  pulumi.String("VF_FILE"),
		ValueFrom:   &githubsecrets.ValueSourceArgs{File: pulumi.String("secrets/token.txt")},
	}); err != nil {
		return err
	}
	if _, err := githubsecrets.NewOrgSecret(ctx, "vf-dotenv", &githubsecrets.OrgSecretArgs{
		SecretName: pulumi.String("VF_DOTENV"),
		ValueFrom: &githubsecrets.ValueSourceArgs{
			File: pulumi.String(".env"),
			Key:  pulumi.String("VF_DOTENV"),
		},
		SelectedRepositories: pulumi.StringArray{pulumi.String("api"), pulumi.String("web")},
	}); err != nil {
		return err
	}
	_, err := githubsecrets.NewCodespacesUserSecret(ctx, "vf-command", &githubsecrets.CodespacesUserSecretArgs{
		SecretName: pulumi.String("VF_COMMAND"),
		ValueFrom: &githubsecrets.ValueSourceArgs{
			Command: pulumi.StringArray{pulumi.String("printenv"), pulumi.String("SOURCED_COMMAND")},
		},
		SelectedRepositoryIds: pulumi.IntArray{pulumi.Int(201)},
	})
	return err
}

// collector gathers the steps and the summary from the engine's events.
type collector struct {
	events chan events.EngineEvent
	done   chan struct{}
	mu     sync.Mutex
	report *report
}

func collect(r *report) *collector {
	c := &collector{events: make(chan events.EngineEvent), done: make(chan struct{}), report: r}
	go func() {
		defer close(c.done)
		for event := range c.events {
			c.mu.Lock()
			if done := event.ResOutputsEvent; done != nil {
				c.add(done.Metadata.Op, done.Metadata.URN, done.Metadata.Type)
			} else if failed := event.ResOpFailedEvent; failed != nil {
				c.add(failed.Metadata.Op, failed.Metadata.URN, failed.Metadata.Type)
			}
			if summary := event.SummaryEvent; summary != nil {
				for op, n := range summary.ResourceChanges {
					c.report.Changes[string(op)] = n
				}
			}
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *collector) add(op any, urn, typ string) {
	if strings.HasPrefix(typ, "pulumi:pulumi:Stack") {
		return
	}
	c.report.Steps = append(c.report.Steps, step{
		Op:   fmt.Sprint(op),
		URN:  urn,
		Type: typ,
		Name: urn[strings.LastIndex(urn, "::")+2:],
	})
}

// wait for the last event: the Automation API closes the channel once the CLI is done, unless
// it failed before it ran the CLI at all.
func (c *collector) wait() {
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
	}
}

func deploy(ctx context.Context, req request, r *report) error {
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: req.CLIRoot})
	if err != nil {
		return err
	}
	revision := req.Inputs.Revision
	if revision == "" {
		revision = "1"
	}
	// The project's Pulumi.yaml (plugins.providers: this repository's plugin) and stack files.
	stack, err := auto.UpsertStackInlineSource(ctx, req.Stack, "native-go", program(revision),
		auto.WorkDir(req.WorkDir), auto.Pulumi(cli))
	if err != nil {
		return err
	}
	c := collect(r)
	defer c.wait()
	switch req.Command {
	case "preview":
		opts := []optpreview.Option{
			optpreview.ProgressStreams(os.Stdout),
			optpreview.ErrorProgressStreams(os.Stderr),
			optpreview.EventStreams(c.events),
		}
		if req.ExpectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		if req.Diff {
			opts = append(opts, optpreview.Diff())
		}
		_, err = stack.Preview(ctx, opts...)
	case "up":
		opts := []optup.Option{
			optup.ProgressStreams(os.Stdout),
			optup.ErrorProgressStreams(os.Stderr),
			optup.EventStreams(c.events),
		}
		if req.ExpectNoChanges {
			opts = append(opts, optup.ExpectNoChanges())
		}
		_, err = stack.Up(ctx, opts...)
	case "destroy":
		opts := []optdestroy.Option{
			optdestroy.ProgressStreams(os.Stdout),
			optdestroy.ErrorProgressStreams(os.Stderr),
			optdestroy.EventStreams(c.events),
		}
		if req.PreviewOnly {
			_, err = stack.PreviewDestroy(ctx, opts...)
		} else {
			_, err = stack.Destroy(ctx, opts...)
		}
	default:
		close(c.events)
		err = fmt.Errorf("unknown command %q: preview, up or destroy", req.Command)
	}
	return err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: program '<request as JSON>'")
		os.Exit(2)
	}
	var req request
	if err := json.Unmarshal([]byte(os.Args[1]), &req); err != nil {
		fmt.Fprintf(os.Stderr, "the request is no JSON: %v\n", err)
		os.Exit(2)
	}
	r := &report{Command: req.Command, Steps: []step{}, Changes: map[string]int{}}
	err := deploy(context.Background(), req, r)
	if err != nil {
		// The Automation API's error, with the CLI's exit code, stdout and stderr.
		r.Error = err.Error()
		fmt.Fprintln(os.Stderr, r.Error)
	}
	text, _ := json.Marshal(r)
	if werr := os.WriteFile(req.Result, text, 0o600); werr != nil {
		fmt.Fprintf(os.Stderr, "writing the result: %v\n", werr)
		os.Exit(2)
	}
	if err != nil {
		os.Exit(1)
	}
}
