// check()'s verdict on the provider's settings, shared by every lifecycle: a bad setting or no
// credentials at all fails in preview, naming the stack config key to set.

import {
  describe,
  settingKeys,
  SettingsError,
  type Settings,
} from "./settings";
import type { CheckFailure } from "./validate";

export function settingsFailures(settings: () => Settings): CheckFailure[] {
  let current: Settings;
  try {
    current = settings();
  } catch (error) {
    if (error instanceof SettingsError)
      return [{ property: error.key.configKey, reason: error.message }];
    throw error;
  }
  if (current.token) return [];
  return [
    {
      property: settingKeys.token.configKey,
      reason: `no GitHub token: set ${describe(settingKeys.token)} (pulumi config set --secret github:token …)`,
    },
  ];
}
