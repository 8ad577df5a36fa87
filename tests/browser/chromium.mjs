// Headless Chromium for the browser checks: Debian's /usr/bin/chromium (or $CHROMIUM),
// driven by playwright-core. Never a downloaded browser. The flags keep Chromium off the
// network it would otherwise try to reach at start (this machine's network is closed, and
// refused connections slow every start), and a fresh profile folder keeps runs independent.
import { chromium } from "playwright-core";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function executablePath() {
  const path = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: run scripts/test (it installs Debian's chromium), or set CHROMIUM`);
  }
  return path;
}

/** A persistent context in a fresh profile folder (playwright passes it as --user-data-dir). */
export async function launch(viewport = { width: 1280, height: 900 }) {
  const profile = mkdtempSync(join(tmpdir(), "evident-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executablePath(),
    headless: true,
    args: FLAGS,
    viewport,
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
