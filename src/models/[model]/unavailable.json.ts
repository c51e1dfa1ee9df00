// The one page of a configured model that has no results (skipped or failed): why, and how to fix it.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {unavailableNotice} from "../../../loaders/report/unavailable.js";

await runPageLoader(async (config, slug, log) => {
  const page = await modelPageData(config, env, slug, "parallel", [], log);
  return page.status === "analysed" ? {model: page.model, status: page.status} : unavailableNotice(page);
});
