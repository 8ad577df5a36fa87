// Screenshots of a built evident site for the README, in headless Chromium:
//   node tests/browser/screenshots.mjs http://127.0.0.1:PORT/public/ http://127.0.0.1:PORT/preview/ docs/
// The reader's pages from the public face, the dashboard from the editors' preview. Desktop
// shots are 1280 px wide and the first 1600 px of each page (not the full page: the PNGs stay
// small); phone shots are one 390 × 844 screen, as a parent would see the page open.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./chromium.mjs";

const [publicBase, previewBase, outDir] = process.argv.slice(2);
if (!publicBase || !previewBase || !outDir) {
  console.error("usage: node screenshots.mjs PUBLIC_URL PREVIEW_URL OUT_DIR");
  process.exit(2);
}
const at = (base, path) => new URL(path, base.endsWith("/") ? base : base + "/").href;
mkdirSync(outDir, { recursive: true });

async function session(viewport, shots) {
  const { context, close } = await launch(viewport);
  try {
    const page = context.pages()[0] || (await context.newPage());
    await shots(page, async (url, file, before) => {
      const response = await page.goto(url, { waitUntil: "load" });
      // A change of fragment alone navigates within the page: no response.
      const sameDocument = response === null && url.includes("#");
      if (!sameDocument && (!response || !response.ok())) throw new Error(`${url}: HTTP ${response && response.status()}`);
      if (before) await before();
      await page.screenshot({ path: join(outDir, file) });
      console.log(`${file}  ${url}`);
    });
  } finally {
    await close();
  }
}

// The topic's statements, scrolled to its first section, so the desktop shots show the
// wording chosen (the switch sits just above).
const toStatements = (page) =>
  page.evaluate(() => {
    const switcher = document.querySelector(".audience-switch") || document.querySelector(".topic-body h2");
    // "instant": the theme scrolls smoothly, and a screenshot would catch it halfway.
    window.scrollTo({ top: switcher.getBoundingClientRect().top + window.scrollY - 24, behavior: "instant" });
  });

await session({ width: 1280, height: 1600 }, async (page, shot) => {
  await shot(at(publicBase, "relactation/index.html"), "topic-parent.png", () => toStatements(page));
  // The clinician's wording through its own address, as a shared link opens it.
  await shot(at(publicBase, "relactation/index.html#for-clinician"), "topic-clinician.png", () => toStatements(page));
  // Back to the default audience (the choice is remembered in localStorage).
  await page.locator("a.audience-link", { hasText: "Parent or caregiver" }).click();
  await shot(at(publicBase, "claims/relactation-success-seema-trial/index.html"), "claim.png");
  await shot(at(previewBase, "review/index.html"), "dashboard.png");
});
await session({ width: 390, height: 844 }, async (page, shot) => {
  await shot(at(publicBase, "relactation/index.html"), "topic-phone.png");
  await shot(at(publicBase, "relactation/index.html#for-clinician"), "topic-phone-clinician.png");
});
