// Where the first statement of a topic starts, at a phone's size, for the content-first check:
//   node tests/browser/measure.mjs http://127.0.0.1:PORT/relactation/index.html [OUT.png]
import { launch } from "./chromium.mjs";
const [url, out] = process.argv.slice(2);
const { context, close } = await launch({ width: 390, height: 844 });
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(url, { waitUntil: "load" });
  const facts = await page.evaluate(() => {
    const first = document.querySelector(".topic-body .claim");
    const top = (el) => (el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null);
    return { firstStatement: top(first), viewport: window.innerHeight };
  });
  console.log(JSON.stringify(facts));
  if (out) await page.screenshot({ path: out, fullPage: false });
} finally {
  await close();
}
