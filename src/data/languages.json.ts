// Language metadata for every page: English name, family, script, speakers, web share, resource tier.
import {languages} from "../../loaders/datasets/index.js";
import type {LanguagePage} from "../../loaders/report/page-data.js";

process.stdout.write(JSON.stringify(languages().map(({code, name, family, script, speakers, webShare, webShareCrawl, tier}) => ({code, name, family, script, speakers, webShare, webShareCrawl, tier})) satisfies LanguagePage));
