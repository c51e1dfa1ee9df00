/**
 * What the browser test files share: the shared test report (tests/helpers/report.ts) served on
 * 127.0.0.1 by the plain static server, and Debian's chromium, opened before a file's tests and
 * closed after them.
 */
import type {Browser} from "playwright-core";
import {afterAll, beforeAll} from "vitest";
import {sharedReport, type SharedReport} from "../helpers/report.js";
import type {StaticServer} from "../../loaders/cli/serve.js";
import {launchBrowser, serve} from "./harness.js";

export interface ReportSession {
  report: SharedReport;
  browser: Browser;
  server: StaticServer;
}

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function reportSession(): ReportSession {
  const session = {} as ReportSession;
  beforeAll(async () => {
    session.report = await sharedReport();
    session.server = await serve(session.report.env.distDir);
    session.browser = await launchBrowser();
  }, 30 * 60_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}
