// 50,000 deterministic synthetic points for the explorer benchmark page (no model involved).
import {syntheticProjection} from "../../loaders/report/synthetic-points.js";

process.stdout.write(syntheticProjection({points: 50_000, layers: 5, seed: 1}));
