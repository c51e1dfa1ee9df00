// The ranking page's data for one configured model: the "rank" analysis of its parallel-text store,
// and the Language Ranker paper's protocol from the same text read at the last token.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import type {RankFileResult} from "../../../loaders/report/analyze.js";
import type {RankingPage} from "../../../loaders/report/page-data.js";

await runPageLoader<RankingPage>(async (config, slug, log) => {
  const page = await modelPageData(config, env, slug, "parallel", ["rank"], log);
  const lastToken = await modelPageData(config, env, slug, "parallel-last", ["rank"], log);
  const file = lastToken.status === "analysed" ? lastToken.analyses[0] : null;
  const paper: RankingPage["paper"] = file?.result ? (file.result as RankFileResult).paper : {skipped: file?.skipped ?? ("reason" in lastToken ? lastToken.reason : "no result")};
  return {...page, paper};
});
