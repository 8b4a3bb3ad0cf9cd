// The app's own data folder (recent files, the demo database, snapshots), the same for the Electron app
// and for `chv`, so both find what the other left there.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'chat-history-viewer'

export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CHV_DATA_DIR) return env.CHV_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME)
}
