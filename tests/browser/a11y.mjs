// Accessibility and behaviour of a built evident site, in headless Chromium:
//   node tests/browser/a11y.mjs http://127.0.0.1:PORT/ [SITE_DIR]
// 1. axe-core on the home, topic, claim, source, dashboard, grading, search, print handout
//    and not-found pages:
//    no violation of WCAG 2.1 A or AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa) allowed;
// 2. the audience switch: clicking "Healthcare professional" changes a claim's wording and
//    its certainty display, keeps them across in-page links, and #for-clinician alone (no
//    script) chooses them;
// 3. search: "domperidone" typed on the search page, and in the header box of the home
//    page, finds a domperidone claim; with SITE_DIR (the same site on disk), the search page
//    opened from file:// says that search needs a server.
// With EVIDENT_FACE=public (the public site: no dashboard, only approved claims), the
// dashboard is not visited and the search is for "metoclopramide", an approved claim's word.
// Prints one JSON report on stdout; exits 0 only when every check passed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const base = process.argv[2];
const siteDir = process.argv[3];
if (!base || !/^https?:\/\//.test(base)) {
  console.error("usage: node a11y.mjs http://127.0.0.1:PORT/  (a built site served over http)");
  process.exit(2);
}
const url = (path) => new URL(path, base.endsWith("/") ? base : base + "/").href;

const PUBLIC = process.env.EVIDENT_FACE === "public";
const QUERY = PUBLIC ? "metoclopramide" : "domperidone";
const PAGES = {
  home: "index.html",
  topic: "relactation/index.html",
  claim: "claims/relactation-success-seema-trial/index.html",
  source: "sources/pmid9283123/index.html",
  review: "review/index.html",
  grading: "grading/index.html",
  search: `search/index.html?q=${QUERY}`,
  handout: "handouts/relactation.html",
  notFound: "404.html",
};
if (PUBLIC) delete PAGES.review;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const report = { base, tags: TAGS, pages: {}, audience: null, search: null, failures: [] };
const fail = (message) => report.failures.push(message);

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    // The rules that passed are counted too: a run that checked nothing would also show none.
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
    return { violations, passes: result.passes.length };
  }, TAGS);
}

async function open(page, path) {
  const response = await page.goto(url(path), { waitUntil: "load" });
  if (!response || !response.ok()) {
    throw new Error(`${path}: HTTP ${response ? response.status() : "no response"}`);
  }
}

const { context, close } = await launch();
try {
  const page = context.pages()[0] || (await context.newPage());
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));

  for (const [name, path] of Object.entries(PAGES)) {
    await open(page, path);
    if (name === "search") {
      await page.waitForSelector("#search-results li", { timeout: 30_000 });
    }
    const { violations, passes } = await axe(page);
    report.pages[name] = { path, passes, violations };
    if (passes === 0) fail(`${name} (${path}): axe checked no rule`);
    if (violations.length) {
      fail(`${name} (${path}): ${violations.length} axe violation(s): ${violations.map((v) => v.id).join(", ")}`);
    }
  }

  // The audience switch, on the topic page: the first claim with its own wordings shows the
  // parent's wording and the certainty in everyday words, then the clinician's wording and the
  // scale's term after the link is clicked; the choice holds while the reader follows a
  // reference link within the page (which changes the fragment).
  const wording = async () => (await page.locator(".claim:has(.wordings) .wordings").first().innerText()).trim();
  const certainty = async () =>
    page.locator(".claim .claim-meta").evaluateAll((metas) => {
      const shown = (el) => el && getComputedStyle(el).display !== "none";
      const meta = metas.find((m) => m.querySelector(".certainty-plain"));
      return meta ? { plain: shown(meta.querySelector(".certainty-plain")), expert: shown(meta.querySelector(".certainty-expert")) } : null;
    });
  await open(page, PAGES.topic);
  const before = await wording();
  const beforeCertainty = await certainty();
  await page.locator("a.audience-link", { hasText: "Healthcare professional" }).click();
  const current = await page.locator('a.audience-link[aria-current="true"]').innerText();
  const after = await wording();
  const afterCertainty = await certainty();
  const hash = await page.evaluate(() => window.location.hash);
  await page.locator("sup.cite a").first().click();
  const afterReference = await wording();
  report.audience = { current, hash, before, after, afterReference, beforeCertainty, afterCertainty };
  if (current.trim() !== "Healthcare professional") fail(`audience: the chosen link is "${current}", not Healthcare professional`);
  if (hash !== "#for-clinician") fail(`audience: the address is ${hash}, not #for-clinician`);
  if (!before || !after || before === after) fail(`audience: the wording did not change ("${before}" → "${after}")`);
  if (afterReference !== after) fail("audience: following a reference link switched the wording back");
  if (!beforeCertainty || !beforeCertainty.plain || beforeCertainty.expert) fail(`audience: a parent does not see the certainty in words only (${JSON.stringify(beforeCertainty)})`);
  if (!afterCertainty || afterCertainty.plain || !afterCertainty.expert) fail(`audience: a clinician does not see the scale's term only (${JSON.stringify(afterCertainty)})`);
  // Without the script: the shared address alone chooses the wording (CSS :target).
  await page.route("**/evident.js", (route) => route.abort());
  await page.goto(url(PAGES.topic) + "#for-clinician", { waitUntil: "load" });
  const noScript = await wording();
  const noScriptCertainty = await certainty();
  await page.unroute("**/evident.js");
  report.audience.noScript = noScript;
  if (noScript !== after) fail(`audience without JavaScript: #for-clinician shows "${noScript}", not the clinician's wording`);
  if (!noScriptCertainty || noScriptCertainty.plain) fail("audience without JavaScript: #for-clinician shows the everyday certainty words");
  await open(page, PAGES.topic);
  await page.locator("a.audience-link", { hasText: "Healthcare professional" }).click();
  const { violations, passes } = await axe(page);
  report.pages["topic (Healthcare professional)"] = { path: PAGES.topic, passes, violations };
  if (violations.length) fail(`topic with the clinician wording: ${violations.map((v) => v.id).join(", ")}`);

  // Content first, on a phone (390 × 844): the first statement starts within the first
  // screen, and before it come only the question, its summary, the wording choice and the
  // review line (and the headings of the statement's own section).
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, PAGES.topic);
  report.phone = await page.evaluate(() => {
    const first = document.querySelector(".topic-body .claim");
    const before = [];
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_ELEMENT);
    for (let el = walker.nextNode(); el && el !== first; el = walker.nextNode()) {
      if (el.contains(first) || el.closest(".claim") || !el.getClientRects().length) continue;
      const parentShown = el.parentElement && el.parentElement !== document.querySelector("main") && before.includes(el.parentElement);
      if (parentShown) continue;
      if (["P", "H1", "H2", "H3", "NAV", "ASIDE", "SECTION", "DETAILS", "DIV", "UL", "OL"].includes(el.tagName)) before.push(el);
    }
    // Between the site's header and the main content (a site notice, a banner): nothing.
    for (let el = document.querySelector("header.site-header").nextElementSibling; el && el.tagName !== "MAIN"; el = el.nextElementSibling) {
      if (el.getClientRects().length) before.unshift(el);
    }
    return {
      firstStatement: first ? Math.round(first.getBoundingClientRect().top + window.scrollY) : null,
      screen: window.innerHeight,
      before: before.map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "")),
    };
  });
  const allowed = /^(p\.eyebrow|h1|p\.lead|nav\.audience-switch|p\.review-stamp(\.review-line)?|h2|h3)$/;
  // (The preview shows editors the review banner and panel first: this is the reader's face.)
  if (PUBLIC) {
    if (report.phone.firstStatement === null || report.phone.firstStatement >= report.phone.screen) {
      fail(`phone: the first statement starts at ${report.phone.firstStatement} px, below the first screen (${report.phone.screen} px)`);
    }
    const extra = report.phone.before.filter((b) => !allowed.test(b));
    if (extra.length) fail(`phone: before the first statement, more than the question, summary, wording choice and review line: ${extra.join(", ")}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Search, typed as a reader would: on the search page, then in the header box of the home
  // page (a GET form to the search page). Both must list a claim named for the query.
  async function searchFrom(path, input) {
    await open(page, path);
    await page.locator(input).fill(QUERY);
    await Promise.all([
      page.waitForURL(new RegExp(`search/index\\.html\\?q=${QUERY}`)),
      page.locator(input).press("Enter"),
    ]);
    await page.waitForSelector("#search-results li", { timeout: 30_000 });
    const results = await page.locator("#search-results li h3 a").evaluateAll((links) =>
      links.map((a) => ({ title: a.textContent.trim(), href: a.href })),
    );
    const status = (await page.locator("#search-status").innerText()).trim();
    const hit = results.find((r) => new RegExp(`/claims/${QUERY}-[^/]+/`).test(r.href) && new RegExp(QUERY, "i").test(r.title));
    if (!hit) fail(`search from ${path}: no ${QUERY} claim among ${results.length} result(s)`);
    else {
      const target = await context.request.get(hit.href);
      if (!target.ok()) fail(`search from ${path}: the result link ${hit.href} answers ${target.status()}`);
    }
    return { query: QUERY, status, results };
  }
  report.search = await searchFrom("search/index.html", "#search-q");
  report.headerSearch = await searchFrom(PAGES.home, "#site-search-q");

  // Opened from disk, the search page cannot load its index and says so.
  if (siteDir) {
    await page.goto(pathToFileURL(join(siteDir, "search/index.html")).href + `?q=${QUERY}`);
    const note = page.locator("#search-file-note");
    await note.waitFor({ state: "visible", timeout: 10_000 }).catch(() => {});
    report.fileNote = (await note.isVisible()) ? (await note.innerText()).trim() : null;
    if (!report.fileNote || !/needs a web server/.test(report.fileNote)) {
      fail("search from file://: no note that search needs a server");
    }
  }
  if (consoleErrors.length) fail(`script errors: ${consoleErrors.join("; ")}`);
} catch (e) {
  fail(`error: ${e && e.stack ? e.stack : e}`);
} finally {
  await close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(report.failures.length ? 1 : 0);
