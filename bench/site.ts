/**
 * The site's numbers: time from navigation to the embedding explorer's first full render with
 * 50,000 points (the synthetic explorer page, in Debian's chromium with software WebGL), and the
 * built site's total size. Builds the site first unless `BABELSCOPE_SITE_REUSE=1` and dist/ exists.
 */
import {buildSite, DIST, folderSize, launchBrowser, serve} from "../tests/site/harness.js";
import {median, report} from "./report.js";

const RUNS = 5;

export async function main(): Promise<void> {
  await buildSite((line) => process.stderr.write(`${line}\n`));
  const server = await serve(DIST);
  const browser = await launchBrowser();
  try {
    const times: number[] = [];
    const frames: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await (await browser.newContext({viewport: {width: 1280, height: 900}})).newPage();
      await page.goto(`${server.url}/explorer-50k.html`);
      const root = page.locator(".embedding-explorer[data-first-render]");
      await root.waitFor({timeout: 120_000});
      // data-first-render is performance.now() at the first frame: milliseconds since navigation started.
      times.push(Number(await root.getAttribute("data-first-render")));
      frames.push(await frameTime(page));
      await page.context().close();
    }
    const bytes = await folderSize(DIST);
    report("Site (explorer-50k in chromium, software WebGL)", [
      ["navigation -> first full render, 50,000 points", `${median(times).toFixed(0)} ms median of ${RUNS} (${times.map((t) => t.toFixed(0)).join(", ")})`],
      ["frame time while animating a layer change", `${median(frames).toFixed(1)} ms per frame (median)`],
      ["built site total size (dist/)", `${(bytes / 1e6).toFixed(2)} MB`]
    ]);
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Mean time per frame while the scatter animates to another picture of the 50,000 points (the
 * layer change transition redraws every animation frame until it ends).
 */
async function frameTime(page: import("playwright-core").Page): Promise<number> {
  // Passed as source text: tsx would wrap a function's inner helpers in `__name(...)`, unknown in the page.
  return page.evaluate(`(async () => {
    const root = document.querySelector(".embedding-explorer");
    const frames = () => Number(root.dataset.frames);
    const before = frames();
    const started = performance.now();
    const {x, y} = root.explorer.scatter.props;
    root.explorer.scatter.update({x: y, y: x}); // the same points mirrored: a full transition
    let last = frames(), lastChange = performance.now();
    while (performance.now() - lastChange < 300) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (frames() !== last) (last = frames()), (lastChange = performance.now());
    }
    return (lastChange - started) / Math.max(1, last - before);
  })()`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
