// Screenshots of a built evident site for the README, in headless Chromium:
//   node tests/browser/screenshots.mjs http://127.0.0.1:PORT/ docs/
// 1280 px wide, the first 1600 px of each page (not the full page: the PNGs stay small).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./chromium.mjs";

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error("usage: node screenshots.mjs http://127.0.0.1:PORT/ OUT_DIR");
  process.exit(2);
}
const url = (path) => new URL(path, base.endsWith("/") ? base : base + "/").href;
mkdirSync(outDir, { recursive: true });

const { context, close } = await launch({ width: 1280, height: 1600 });
try {
  const page = context.pages()[0] || (await context.newPage());
  async function shot(path, file, before) {
    const response = await page.goto(url(path), { waitUntil: "load" });
    if (!response || !response.ok()) throw new Error(`${path}: HTTP ${response && response.status()}`);
    if (before) await before();
    await page.screenshot({ path: join(outDir, file) });
    console.log(`${file}  ${path}`);
  }
  // The topic's statements, scrolled to its first section: the audience picker is sticky
  // beside the text, so both screenshots show which wording was chosen.
  const toStatements = () =>
    page.evaluate(() => {
      const heading = document.querySelector(".topic-body h2");
      // "instant": the theme scrolls smoothly, and a screenshot would catch it halfway.
      window.scrollTo({ top: heading.getBoundingClientRect().top + window.scrollY - 24, behavior: "instant" });
    });
  await shot("relactation/index.html", "topic-parent.png", toStatements);
  // The clinician wording, chosen as a reader would: by clicking its link.
  await shot("relactation/index.html", "topic-clinician.png", async () => {
    await page.locator("a.audience-link", { hasText: "Healthcare professional" }).click();
    if ((await page.evaluate(() => window.location.hash)) !== "#for-clinician") throw new Error("the wording did not switch");
    await toStatements();
  });
  // Back to the default audience (the choice is remembered in localStorage).
  await page.locator("a.audience-link", { hasText: "Parent or caregiver" }).click();
  await shot("claims/relactation-success-seema-trial/index.html", "claim.png");
  await shot("review/index.html", "dashboard.png");
} finally {
  await close();
}
