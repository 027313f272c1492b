// One provider process's state: the config it was configured with and what is built from it (one
// client, scheduler and set of caches per account, the run's claims, a lifecycle per kind). The
// dynamic provider (index.ts) keeps one per process; the provider plugin (plugin/) one per
// configured provider.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { SecretsApi } from "./api";
import { Claims } from "./claims";
import type { ConfigSource } from "./config";
import type { ProviderContext } from "./context";
import { kindByName, pruneType, selectionKinds } from "./kinds";
import { SecretLifecycle } from "./lifecycle";
import { PruneLifecycle } from "./prune";
import { SelectionLifecycle } from "./selection";
import {
  accountSettings,
  noAccountCredentials,
  readAccounts,
  type AccountSpec,
} from "./accounts";
import { readSettings, settingsFailures, type Settings } from "./settings";
import { SourceReader } from "./sources";
import type { CheckFailure, ValueSource } from "./types";

/** This process's state: the stack config from the engine and what is built from it. */
export class ProcessContext implements ProviderContext {
  private source?: ConfigSource;
  private defaults?: Settings;
  private accounts?: Map<string, AccountSpec>;
  private readonly accountSettingsByName = new Map<string, Settings>();
  /** One client, scheduler and set of caches per account ("" the default one). */
  private readonly apis = new Map<string, SecretsApi>();
  private readonly ownership = new Claims();
  private readonly lifecycles = new Map<string, dynamic.ResourceProvider>();
  // The engine starts the process in the folder it runs the program in, with the environment of
  // the pulumi process: the folder and the variables a program's valueFrom means.
  private readonly sources = new SourceReader(process.cwd(), process.env);

  /**
   * `tell`: how the user is told something. The engine shows what a dynamic provider prints;
   * a resource plugin's output it hides, so the plugin sends its lines to the engine's Log.
   */
  constructor(
    private readonly tell: (message: string) => void = (message) =>
      console.log(message),
  ) {}

  configure(config: ConfigSource): void {
    this.source = config;
    this.defaults = undefined;
    this.accounts = undefined;
    this.accountSettingsByName.clear();
  }

  config(): ConfigSource | undefined {
    return this.source;
  }

  env(): NodeJS.ProcessEnv {
    return process.env;
  }

  claims(): Claims {
    return this.ownership;
  }

  valueOf(source: ValueSource): Promise<string> {
    return this.sources.read(source);
  }

  log(message: string): void {
    this.tell(`pulumi-github-secrets: ${message}`);
  }

  settings(account?: string): Settings {
    this.defaults ??= readSettings(this.source, process.env);
    if (account === undefined) return this.defaults;
    let settings = this.accountSettingsByName.get(account);
    if (!settings) {
      settings = accountSettings(
        account,
        this.namedAccounts(),
        this.defaults,
        process.env,
      );
      this.accountSettingsByName.set(account, settings);
    }
    return settings;
  }

  settingsFailures(account?: string): CheckFailure[] {
    if (account === undefined) return settingsFailures(() => this.settings());
    return settingsFailures(
      () => this.settings(account),
      () => ({
        property: "account",
        reason: noAccountCredentials(
          account,
          this.namedAccounts().get(account),
        ),
      }),
    );
  }

  api(account?: string): SecretsApi {
    // Each kind's first resource configures the process again with the same config; keep the
    // client and its caches unless the settings really changed.
    const settings = this.settings(account);
    const key = account ?? "";
    let api = this.apis.get(key);
    if (!api || JSON.stringify(api.settings) !== JSON.stringify(settings)) {
      api = new SecretsApi(settings, account, (message) => this.log(message));
      this.apis.set(key, api);
    }
    return api;
  }

  apiHost(account?: string): string {
    return new URL(this.settings(account).baseUrl).host.toLowerCase();
  }

  private namedAccounts(): Map<string, AccountSpec> {
    this.accounts ??= readAccounts(this.source);
    return this.accounts;
  }

  lifecycle(kindName: string): dynamic.ResourceProvider {
    let lifecycle = this.lifecycles.get(kindName);
    if (!lifecycle) {
      // Selection resources are derived from the rows (selection.ts); the rest are rows.
      const selection = selectionKinds.get(kindName);
      lifecycle = selection
        ? new SelectionLifecycle(selection, this)
        : kindName === pruneType
          ? new PruneLifecycle(this)
          : new SecretLifecycle(kindByName(kindName), this);
      this.lifecycles.set(kindName, lifecycle);
    }
    return lifecycle;
  }
}
